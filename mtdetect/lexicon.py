"""Closed-class word lists of English, each named for the one use it was chosen for.

They differ on purpose and are kept apart: the lists that define features
(:data:`PROFILE_WORDS`, :data:`TRANSLATIONESE_WORDS`) are part of every trained model (changing
one changes the features: run ``make train``), and each other list was chosen for one decision
of one detector. ``mtdetect/inputs.py`` still keeps its own list of frequent English words for
the language check of user input.
"""

from __future__ import annotations

#: The function-word profile's features, in feature order (``function_words.fw_<word>``; a word
#: listed twice is one feature).
PROFILE_WORDS = tuple(
    """the of and to a in that is was it for on with as he be by at his this had not are but from
    or have an they which one you were her all she there would their we him been has when who
    will more no if out so said what up its about into than them can only other new some could
    time these two may then do first any my now such like our over man me even most made after
    also did many before must through back years where much your way well down should because
    each just those people how too little state good very make world still own see men work long
    get here between both life being under never day same another know while last might us great
    old year off come since against go came right used take three however although though whether
    thus therefore moreover furthermore while whereas despite during without within among upon
    toward towards i""".split()
)
#: Words the translationese symbol stream keeps as themselves (every other word becomes its
#: part-of-speech tag): the profile's words, then pronouns, negated auxiliaries, connectives
#: and adverbs of frequency that translations use differently.
TRANSLATIONESE_WORDS = tuple(
    dict.fromkeys(
        [
            *PROFILE_WORDS,
            *"""me him us them myself himself herself itself ourselves themselves yourself
    hers ours theirs mine yours whose whom why am does having doing done cannot can't don't
    doesn't didn't isn't aren't wasn't weren't won't wouldn't it's that's there's i'm we're
    they're you're let's per via according regarding concerning including nor either neither
    yet already again once always often ever never perhaps maybe almost quite rather indeed
    just only also too so such same other others another every each few several""".split(),
        ]
    )
)
#: Words that carry no content in a fixed expression: an idiom word among them is never the
#: content word a distorted idiom swaps, and an object slot does not take them.
GRAMMAR_WORDS = frozenset(
    """a an the and or but nor if then than as at by for from in into of off on onto out over
    under up down to with without within about above across after against along among around
    before behind below beneath beside between beyond during except inside near outside past
    since through throughout till toward towards until upon via i me my mine you your yours he
    him his she her hers it its we us our ours they them their theirs one one's oneself this
    that these those who whom whose which what whatever be is am are was were been being have
    has had having do does did done doing will would shall should can could may might must
    not no so too very all any each every some such own just only also there here where when
    how why like yes back away""".split()
)
#: Verbs too common to carry an idiom on their own once its other content word is swapped.
LIGHT_WORDS = frozenset(
    """get got make take give go come put keep set let see say tell look turn run bring hold
    call find know think want work way thing time day good bad new old big little great""".split()
)
#: Words that end a title rather than a name ("Goes to Person", "Due to Covid"): a capitalised
#: phrase followed by one of them is not a broken name.
TITLE_END_WORDS = frozenset(
    "a an the to for of on in into at by with from as about over up out off and or but than".split()
)
#: Determiners that open a sentence capitalised ("The Home voted"): not part of a name.
OPENING_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
