import codecs

import pytest

from mtdetect.inputs import InputError, check_text, decode_bytes, read_text_file

ENGLISH = "The council met on Tuesday and agreed to repair the bridge before the winter."


def test_encodings_accepted():
    assert decode_bytes(codecs.BOM_UTF8 + ENGLISH.encode()) == ENGLISH
    assert decode_bytes(ENGLISH.encode("utf-16")) == ENGLISH
    assert decode_bytes("café".encode("latin-1"), encoding="latin-1") == "café"


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\xe9 au lait".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_bytes(data, match):
    with pytest.raises(InputError, match=match):
        decode_bytes(data)


def test_unknown_encoding():
    with pytest.raises(InputError, match="unknown encoding"):
        decode_bytes(b"abc", encoding="no-such-codec")


def test_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        read_text_file(tmp_path)
    big = tmp_path / "big.txt"
    big.write_text(ENGLISH * 10)
    with pytest.raises(InputError, match="over the limit"):
        read_text_file(big, max_bytes=100)


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text(text):
    with pytest.raises(InputError, match="empty"):
        check_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "El consejo municipal se reunió el martes y decidió reparar el puente antes del invierno, "
        "según informaron fuentes del ayuntamiento de la ciudad a los periodistas locales.",
        "Der Stadtrat hat sich am Dienstag getroffen und beschlossen, die Brücke vor dem Winter zu "
        "reparieren, wie die Verwaltung der Stadt den Journalisten mitteilte.",
        "Le conseil municipal s'est réuni mardi et a décidé de réparer le pont avant l'hiver, "
        "selon les services de la ville qui ont parlé aux journalistes locaux ce soir.",
        "市议会周二开会，决定在冬季到来之前修复这座桥梁，市政府官员对当地记者表示。这是一个重要的决定。",
        # short texts (8-19 words)
        "Mi hermano trabaja en una fábrica de coches cerca de la ciudad desde hace años.",
        "Wir haben gestern Abend einen sehr schönen Film im Kino gesehen und danach gegessen.",
        "Mijn buurman heeft een nieuwe fiets gekocht omdat de oude gestolen was.",
        "Dün akşam arkadaşlarımla birlikte sahilde uzun bir yürüyüş yaptık ve çok eğlendik.",
    ],
)
def test_other_languages_refused(text):
    with pytest.raises(InputError, match="English"):
        check_text(text)


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        "lol idk what ur talking abt, we went 2 the shop n it was closed so we just went home "
        "and watched tv all nite, was kinda boring tbh but whatever",
        "Short one.",
        "Solar Panel Maker Opens New Factory Near Leeds Creating Hundreds Of Jobs, Company Says "
        "Shares Rise Sharply After Strong Quarterly Results Beat Forecasts",
        "Colour options: blue cup 1, blue cup 2, red cup 3, red cup 4, green cup 5, green cup 6, "
        "large tray 7, small tray 8, spare lid 9, spare lid 10",
        # short texts (8-19 words), headline-like ones included
        "Stock Markets Rally Sharply Yesterday Following Central Bank Comments",
        "Quarterly revenue rose eleven percent, beating analyst forecasts comfortably.",
        "Ferguson's late penalty gave Rotherham victory against Barnsley.",
        "Ich bin ein Berliner, said the president, and the crowd cheered loudly.",
        "Bonjour!",
    ],
)
def test_english_accepted(text):
    check_text(text)
