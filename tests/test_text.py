from hypothesis import given
from hypothesis import strategies as st

from mtdetect.text import Document, normalize


def sents(text):
    d = Document(text)
    return [d.sentence_text(s) for s in d.sentences]


def test_abbreviations_do_not_split():
    text = "Mr. Smith met Dr. Jones on Dec. 26 in the U.S. capital. They talked."
    assert sents(text) == [
        "Mr. Smith met Dr. Jones on Dec. 26 in the U.S. capital.",
        "They talked.",
    ]


def test_initialism_before_capitalised_name_does_not_split():
    assert len(sents("The U.S. Army said so. Then it left.")) == 2


def test_initialism_at_sentence_end_splits_before_a_starter():
    assert sents("He moved to the U.S. The move was hard.") == [
        "He moved to the U.S.",
        "The move was hard.",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = "“I don’t know.” She left! Did he? Yes."
    assert sents(text) == ["“I don’t know.”", "She left!", "Did he?", "Yes."]


def test_line_breaks_and_bullets():
    text = "A heading\nBody text here.\n\n- first item\n- second item\nand its tail"
    assert sents(text) == [
        "A heading",
        "Body text here.",
        "- first item",
        "- second item\nand its tail",
    ]


def test_offsets_index_the_original_and_line_col():
    text = "First line.\n  Second — “line” here."
    d = Document(text)
    for t in d.tokens:
        assert text[t.start : t.end] == t.text
    second = [t for t in d.tokens if t.text == "Second"][0]
    assert d.line_col(second.start) == (2, 3)
    quote = [t for t in d.tokens if t.text == "“"][0]
    assert quote.norm == '"'


def test_normalisation_keeps_length():
    s = "“Curly” — ‘quotes’\u00a0and…dashes – here"
    assert len(normalize(s)) == len(s)
    assert normalize(s) == "\"Curly\" - 'quotes' and.dashes - here"


def test_contractions_and_numbers_are_single_tokens():
    d = Document("They don't pay $3.5 million in 2021, it's 9/11's legacy.")
    words = [t.text for t in d.tokens]
    assert "don't" in words and "3.5" in words and "it's" in words


@given(st.text(max_size=300))
def test_tokenizer_never_raises_and_offsets_hold(text):
    d = Document(text)
    for t in d.tokens:
        assert text[t.start : t.end] == t.text
    for s in d.sentences:
        assert 0 <= s.start <= s.end <= len(text)


def test_common_words_that_look_like_abbreviations_end_sentences():
    assert len(sents("The cat sat. The dog ran. They wed. Then art. Next.")) == 5


def test_hard_wrapped_lines_continue_the_sentence():
    text = (
        "The final plan keeps short-stay parking on side streets, a photograph by Getty\n"
        "Images showed. Mr.\nSmith agreed.\nA Short Heading\nThe council met."
    )
    assert sents(text) == [
        "The final plan keeps short-stay parking on side streets, a photograph by Getty\n"
        "Images showed.",
        "Mr.\nSmith agreed.",
        "A Short Heading",
        "The council met.",
    ]


def test_crlf_line_breaks_are_single_breaks():
    text = (
        "The plan keeps parking on side streets, a photograph by Getty\r\nImages showed.\r\n"
        "Next one."
    )
    d = Document(text)
    assert [d.sentence_text(s) for s in d.sentences] == [
        "The plan keeps parking on side streets, a photograph by Getty\r\nImages showed.",
        "Next one.",
    ]
    nxt = [t for t in d.tokens if t.text == "Next"][0]
    assert d.line_col(nxt.start) == (3, 1)


def test_lone_cr_is_a_line_break():
    d = Document("First line.\rSecond line.")
    second = [t for t in d.tokens if t.text == "Second"][0]
    assert d.line_col(second.start) == (2, 1) and len(d.sentences) == 2


@given(
    st.text(alphabet=st.sampled_from("ab1_-'. \n,Éé9?\"’—"), max_size=200) | st.text(max_size=200)
)
def test_token_offsets_are_the_token_pattern_matches(text):
    # the tokenizer splits the text with the token pattern: its tokens are exactly the
    # pattern's matches, in order
    from mtdetect.text import _TOKEN_RE

    norm = normalize(text)
    want = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(norm)]
    assert [(t.start, t.end, t.norm) for t in Document(text).tokens] == want
