"""Self-written thesaurus, MyThes and tortured-phrase fixtures shared by the spinner tests.

Nothing here comes from ../shared/data: a tiny OEWN-format YAML source, a tiny MyThes file and
a tiny tortured-phrase list, written for the tests so that they are fast and offline.
"""

from __future__ import annotations

import json
from pathlib import Path

SYNSETS = {
    "verb.test.yaml": """\
90000001-v:
  definition:
  - come to a halt, a long wrapped definition line that continues
    on the next line
  hypernym:
  - 90000009-v
  members:
  - stop
  - halt
  - cease
  partOfSpeech: v
90000002-v:
  definition:
  - make an effort
  members:
  - try
  - attempt
  - make an attempt
  partOfSpeech: v
90000003-v:
  definition:
  - exert oneself
  members:
  - work
  - labor
  partOfSpeech: v
90000004-v:
  definition:
  - move fast
  members:
  - run
  - sprint
  partOfSpeech: v
90000009-v:
  definition:
  - change
  members:
  - change
  partOfSpeech: v
""",
    "noun.test.yaml": """\
90000101-n:
  definition:
  - a building to live in
  hypernym:
  - 90000102-n
  members:
  - house
  partOfSpeech: n
90000102-n:
  definition:
  - a place to live
  members:
  - dwelling
  - home
  partOfSpeech: n
90000103-n:
  definition:
  - a person who leads
  members:
  - leader
  - chief
  partOfSpeech: n
90000104-n:
  definition:
  - a visual representation
  members:
  - image
  - picture
  - photo
  partOfSpeech: n
90000105-n:
  members:
  - child
  - kid
  partOfSpeech: n
  definition:
  - a young person
90000106-n:
  definition:
  - a test of quoting
  members:
  - 'true'
  partOfSpeech: n
""",
    "adj.test.yaml": """\
90000201-a:
  definition:
  - large in size
  members:
  - big
  - enormous
  partOfSpeech: a
  similar:
  - 90000202-s
90000202-s:
  definition:
  - very large
  members:
  - huge
  partOfSpeech: s
  similar:
  - 90000201-a
90000203-a:
  definition:
  - moving quickly
  members:
  - quick
  - rapid
  partOfSpeech: a
""",
    "adv.test.yaml": """\
90000301-r:
  definition:
  - on this day
  members:
  - today
  - at this time
  partOfSpeech: r
90000302-r:
  definition:
  - at the present moment
  members:
  - now
  - presently
  partOfSpeech: r
""",
}

ENTRIES = """\
'''tis':
  n:
    sense:
    - id: 'tis%1:00:00::'
      synset: 90000106-n
at this time:
  r:
    sense:
    - id: 'at_this_time%4:00:00::'
      synset: 90000301-r
attempt:
  v:
    sense:
    - id: 'attempt%2:00:00::'
      synset: 90000002-v
big:
  a:
    form:
    - bigger
    - biggest
    sense:
    - id: 'big%3:00:00::'
      synset: 90000201-a
cease:
  v:
    sense:
    - id: 'cease%2:00:00::'
      synset: 90000001-v
change:
  v:
    sense:
    - id: 'change%2:00:00::'
      synset: 90000009-v
chief:
  n:
    sense:
    - id: 'chief%1:00:00::'
      synset: 90000103-n
child:
  n:
    form:
    - children
    sense:
    - derivation:
      - 'childhood%1:00:00::'
      id: 'child%1:00:00::'
      synset: 90000105-n
dwelling:
  n:
    sense:
    - id: 'dwelling%1:00:00::'
      synset: 90000102-n
enormous:
  a:
    sense:
    - id: 'enormous%3:00:00::'
      synset: 90000201-a
halt:
  v:
    sense:
    - id: 'halt%2:00:00::'
      synset: 90000001-v
home:
  n:
    sense:
    - id: 'home%1:00:00::'
      synset: 90000102-n
house:
  n:
    pronunciation:
    - value: haʊs
    sense:
    - id: 'house%1:00:00::'
      synset: 90000101-n
huge:
  a:
    sense:
    - id: 'huge%3:00:00::'
      synset: 90000202-s
image:
  n:
    sense:
    - id: 'image%1:00:00::'
      synset: 90000104-n
kid:
  n:
    sense:
    - id: 'kid%1:00:00::'
      synset: 90000105-n
labor:
  v:
    sense:
    - id: 'labor%2:00:00::'
      synset: 90000003-v
leader:
  n:
    sense:
    - id: 'leader%1:00:00::'
      synset: 90000103-n
make an attempt:
  v:
    sense:
    - id: 'make_an_attempt%2:00:00::'
      synset: 90000002-v
now:
  r:
    sense:
    - id: 'now%4:00:00::'
      synset: 90000302-r
photo:
  n:
    sense:
    - id: 'photo%1:00:00::'
      synset: 90000104-n
presently:
  r:
    sense:
    - id: 'presently%4:00:00::'
      synset: 90000302-r
picture:
  n:
    sense:
    - id: 'picture%1:00:00::'
      synset: 90000104-n
quick:
  a:
    sense:
    - id: 'quick%3:00:00::'
      synset: 90000203-a
rapid:
  a:
    sense:
    - id: 'rapid%3:00:00::'
      synset: 90000203-a
run:
  v:
    form:
    - ran
    - running
    sense:
    - id: 'run%2:00:00::'
      synset: 90000004-v
sprint:
  v:
    sense:
    - id: 'sprint%2:00:00::'
      synset: 90000004-v
stop:
  v:
    sense:
    - id: 'stop%2:00:00::'
      synset: 90000001-v
today:
  r:
    sense:
    - id: 'today%4:00:00::'
      synset: 90000301-r
try:
  v:
    sense:
    - id: 'try%2:00:00::'
      synset: 90000002-v
work:
  v:
    sense:
    - id: 'work%2:00:00::'
      synset: 90000003-v
"""

MYTHES = """\
UTF-8
house|2
(noun)|dwelling (generic term)|home (generic term)
(verb)|lodge|accommodate
russia|1
(noun)|Russia|country (generic term)
stop|1
(verb)|halt|block|end (related term)|go (antonym)
"""

TORTURED = {
    "phrases": [
        {"tortured": "counterfeit consciousness", "correct": "artificial intelligence (AI)"},
        {"tortured": "colossal information", "correct": "big data"},
        {"tortured": "mystery words", "correct": "???"},
        {"tortured": "same thing", "correct": "same thing"},
    ]
}


def write_data(root: Path) -> Path:
    """Write the fixtures under ``root`` in the layout of the shared data directory."""
    yd = root / "thesaurus" / "oewn" / "src" / "yaml"
    yd.mkdir(parents=True)
    for name, body in SYNSETS.items():
        (yd / name).write_text(body, encoding="utf-8")
    (yd / "entries-a.yaml").write_text(ENTRIES, encoding="utf-8")
    (root / "th_test.dat").write_text(MYTHES, encoding="utf-8")
    tp = root / "tortured-phrases"
    tp.mkdir()
    (tp / "tortured-phrases.json").write_text(json.dumps(TORTURED), encoding="utf-8")
    return root
