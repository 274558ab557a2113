#!/usr/bin/env python3
"""Build the differential reference corpus ``tests/data/reference_corpus.json``.

The corpus is a deterministic list of varied strings (every script, every
kind of emoji, URLs, mentions, hashtags, cashtags, lengths around the limits,
realistic posts in several languages) measured ONCE by the official reference
implementations:

* X / Twitter: npm ``twitter-text`` 3.1.0 (``parseTweet`` with its default
  v3 config, the entity extractors, and the ``twemoji-parser`` entities that
  twitter-text uses for emoji weighting);
* Bluesky: npm ``@atproto/api`` (``RichText`` grapheme length, UTF-8 byte
  length, facets from ``detectFacetsWithoutResolution``).

The Python test-suite then compares the library against the recorded values
without needing node.

How to regenerate
-----------------
1. Install the pinned reference packages (needs node >= 18 and npm)::

       cd tools/reference && npm ci      # or: npm install
       cd ../..

2. Run this script from anywhere, with a Python that has the ``emoji``
   package (the project's dev venv has it)::

       python tools/make_corpus.py

   It pipes the strings through ``node tools/reference/measure.js`` and
   writes ``tests/data/reference_corpus.json``.

Options: ``--node PATH`` (node executable), ``--out PATH``, ``--check``
(print statistics, do not write).

Determinism: all randomness comes from ``random.Random(SEED)``; the output
depends only on this script, the installed ``emoji`` package (every key of
``emoji.EMOJI_DATA`` is a case) and the reference packages. Note that
Bluesky's grapheme count uses node's ``Intl.Segmenter``, i.e. the ICU /
Unicode version of the node that ran the measurement; it is recorded in the
corpus header.

Only the standard library and ``emoji`` are used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import emoji

SEED = 20240229
TOOLS_DIR = Path(__file__).resolve().parent
REPO_DIR = TOOLS_DIR.parent
REFERENCE_DIR = TOOLS_DIR / "reference"
MEASURE_JS = REFERENCE_DIR / "measure.js"
DEFAULT_OUT = REPO_DIR / "tests" / "data" / "reference_corpus.json"
EXPECTED_TWITTER_TEXT = "3.1.0"

ZWJ = "\u200d"
VS15 = "\ufe0e"
VS16 = "\ufe0f"
KEYCAP = "\u20e3"
TONES = ["\U0001f3fb", "\U0001f3fc", "\U0001f3fd", "\U0001f3fe", "\U0001f3ff"]
CANCEL_TAG = "\U000e007f"
BLACK_FLAG = "\U0001f3f4"


def ri(code: str) -> str:
    """Regional-indicator string for an ASCII country code ('FR' -> flag)."""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code.upper())


def tag_seq(letters: str, cancel: bool = True) -> str:
    """Black flag + tag characters (subdivision flag such as 'gbeng')."""
    body = "".join(chr(0xE0000 + ord(c)) for c in letters)
    return BLACK_FLAG + body + (CANCEL_TAG if cancel else "")


# ---------------------------------------------------------------------------
# Corpus container
# ---------------------------------------------------------------------------


class Corpus:
    def __init__(self) -> None:
        self.cases: list[tuple[str, str]] = []
        self._seen: set[str] = set()

    def add(self, text: str, category: str) -> None:
        if not isinstance(text, str):
            raise TypeError(text)
        # JSON (UTF-8) cannot carry lone surrogates: never generate them.
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            raise ValueError(f"lone surrogate in {text!r}")
        if text in self._seen:
            return
        self._seen.add(text)
        self.cases.append((text, category))

    def extend(self, texts, category: str) -> None:
        for t in texts:
            self.add(t, category)

    def __len__(self) -> int:
        return len(self.cases)


# ---------------------------------------------------------------------------
# Hand-written material
# ---------------------------------------------------------------------------

# Data tables are kept compact (one line, many items) on purpose.
# fmt: off
SCRIPT_SAMPLES: dict[str, list[str]] = {
    "latin": [
        "Hello world",
        "The quick brown fox jumps over the lazy dog.",
        "a", "A", "z", "0", "9", ".", "!", "?", "~", "hello, world!",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    ],
    "french": [
        "Portez ce vieux whisky au juge blond qui fume.",
        "Où est l'hôtel ? À bientôt, ça va très bien ! Noël, cœur, Œuvre, naïve, façade.",
        "« Bonjour » dit-elle — c'était l'été à Besançon.",
        "Ils ont dû réécrire l'entête du châssis : où ça ? Là-bas !",
    ],
    "german": [
        "Grüße aus München!",
        "Die Straße ist nass: äöü ÄÖÜ ß ẞ.",
        "Falsches Üben von Xylophonmusik quält jeden größeren Zwerg.",
    ],
    "vietnamese": [
        "Tiếng Việt rất đẹp, cảm ơn bạn nhiều lắm!",
        "Người Việt Nam yêu hòa bình.",
        "Phở bò Hà Nội ngon tuyệt, đừng bỏ lỡ nhé.",
    ],
    "polish": [
        "Zażółć gęślą jaźń",
        "Pchnąć w tę łódź jeża lub ośm skrzyń fig.",
        "Łódź i Kraków są piękne.",
    ],
    "other_latin": [
        "¿Dónde está la biblioteca? ¡Olé! El pingüino Wenceslao añoraba a su cachorro.",
        "Não há açúcar na ação de graças. Olá, coração!",
        "Pijamalı hasta yağız şoföre çabucak güvendi. İstanbul, Iğdır.",
        "Příliš žluťoučký kůň úpěl ďábelské ódy.",
        "Știință și țară, în România.",
        "Þú ert ástæðan fyrir því að ég brosi.",
        "Árvíztűrő tükörfúrógép",
        "Dansk: blåbærgrød med fløde. Svenska: Åsa äter smörgås.",
        "Hawaiʻi, Māori: kia ora, tēnā koe.",
    ],
    "greek": [
        "Καλημέρα κόσμε!",
        "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
        "ἀρχὴ ἥμισυ παντός",  # polytonic: Greek Extended block (U+1F00..1FFF)
        "Ἀθῆναι, ᾍδης, ῥήτωρ",
    ],
    "cyrillic": [
        "Привет, мир!",
        "Съешь же ещё этих мягких французских булок, да выпей чаю.",
        "Ґанок, їжак, Євген — українська мова.",
        "Љубав, Џеп, Ђак, Ћуприја.",
        "Ѣ ѳ ѵ і — дореформенная орѳографія",
    ],
    "armenian": ["Բարեւ աշխարհ", "Հայաստան և Արցախ", "և ﬓ"],
    "georgian": ["გამარჯობა მსოფლიო", "ᲒᲐᲛᲐᲠᲯᲝᲑᲐ ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ", "ⴀⴁⴂ ႠႡႢ"],
    "arabic": [
        "مرحبا بالعالم",
        "اللغة العَرَبِيَّة جميلة",
        "١٢٣٤٥ ٦٧٨٩٠",
        "سلام دنیا، حالت چطوره؟",
        "می\u200cخواهم بروم",  # Persian with ZWNJ
        "اردو زبان بہت پیاری ہے",
        "مـــرحبا لا ﻻ ﷺ ﷽",
        "Hello مرحبا world 123 ٤٥٦",
    ],
    "hebrew": [
        "שלום עולם",
        "שָׁלוֹם עֲלֵיכֶם",
        "Hello שלום world",
        "\u200fשלום\u200e abc",
        "abc \u200eשלום\u200f def",
        "\u202bשלום עולם\u202c and \u202aabc\u202c",
        "\u202eevil.exe\u202c \u202dforce ltr\u202c",
        "\u2067שלום\u2069 and \u2066abc\u2069 and \u2068x\u2069",
        "ﬠﬡﬢ ﭏ",
    ],
    "devanagari": [
        "नमस्ते दुनिया",
        "हिन्दी भाषा बहुत सुंदर है।",
        "क्षत्रिय ज्ञान श्रीमान स्त्री प्रेम द्वार",
        "क्ष त्र ज्ञ श्र द्ध",
        "क्\u200dष क्\u200cष",
        "महाराष्ट्र संस्कृतम् नेपाल",
        "१२३ ४५६ ॐ",
        "क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़",
    ],
    "bengali": ["বাংলা ভাষা", "ক্ষমা শ্রী", "আমি তোমাকে ভালোবাসি।", "০১২৩"],
    "tamil": ["தமிழ் நாடு", "ஸ்ரீ க்ஷ", "வணக்கம் உலகம்"],
    "other_indic": [
        "తెలుగు భాష", "ಕನ್ನಡ ನುಡಿ", "മലയാളം ഭാഷ", "ગુજરાતી", "ਪੰਜਾਬੀ ਭਾਸ਼ਾ",
        "ශ්\u200dරී ලංකා", "ଓଡ଼ିଆ",
    ],
    "thai": ["สวัสดีชาวโลก", "น้ำแข็ง ภาษาไทย", "๑๒๓ กรุงเทพมหานคร"],
    "lao": ["ສະບາຍດີ", "ພາສາລາວ ວຽງຈັນ"],
    "khmer": ["សួស្តី\u200bពិភពលោក", "ភាសាខ្មែរ"],
    "tibetan": ["བཀྲ་ཤིས་བདེ་ལེགས།", "བོད་སྐད།"],
    "myanmar": ["မင်္ဂလာပါ", "မြန်မာစာ"],
    "ethiopic": ["ሰላም ልዑል", "ኢትዮጵያ"],
    "cherokee": ["ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ", "ꮳꮃꭹ"],
    "hangul": [
        "안녕하세요 세계",
        "한국어",
        "ㅋㅋㅋ ㅎㅎ ㅠㅠ",
        "\u1112\u1161\u11ab\u1100\u116e\u11a8",  # conjoining jamo (NFC -> 한국)
        "\u1112\u119e\u11ab\u1100\u1173\u11af",  # old Hangul, no precomposed form
        "\u1100\u1100\u1161",  # choseong cluster
    ],
    "japanese": [
        "こんにちは世界",
        "カタカナとひらがなと漢字",
        "日本語のテキスト、句読点。「かぎかっこ」",
        "ﾊﾝｶｸｶﾀｶﾅ ｶﾞｷﾞ",
        "ｱｲｳｴｵ｡｢｣､･ｰ",
        "ガ が ゔ",
    ],
    "chinese": ["你好，世界！", "简体中文和繁體中文", "我爱北京天安门。", "「引号」《书名》……——"],
    "fullwidth": [
        "Ｈｅｌｌｏ，Ｗｏｒｌｄ！１２３", "ＡＢＣ\u3000ａｂｃ", "！＂＃＄％＆＇（）～", "￠￡￥￦",
    ],
    "cjk_supplementary": ["𠀋𡈽𠮷野家", "𪚥𩸽𠀀", "𰻞𰻞麵", "\uf900\ufa0e\ufa10", "葛\U000e0100"],
    "mongolian": ["ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", "ᠠ\u180b ᠨᠠ\u180eᠠ"],
    "math": ["𝐇𝐞𝐥𝐥𝐨 𝕎𝕠𝕣𝕝𝕕", "𝓢𝓬𝓻𝓲𝓹𝓽 𝔉𝔯𝔞𝔨𝔱𝔲𝔯 𝙼𝚘𝚗𝚘", "𝟏𝟐𝟑 𝛼𝛽𝛾"],
    "historic": ["𓀀𓁐𓂀𓃰𓆣", "𒀀𒀁𒀂", "𐌰𐌱𐌲", "ᚠᚢᚦᚨᚱᚲ", "᚛ᚁᚂᚃ᚜", "𐤀𐤁𐤂"],
    "symbols": [
        "⠓⠑⠇⠇⠕", "┌─┐│└┘", "←→↑↓⇒", "∑∫√∞≠≤≥", "€£¥₹₿", "…•‰′″", "“quoted” ‘single’",
        "°C ½ ¼ ² ³", "♠♣♥♦", "★☆", "✓✗", "⌘⌥⇧", "№ ℃ ™ ℠ ℡",
    ],
}

# Characters at the edges of twitter-text's v3 weight ranges (weight 1 inside
# [0,0x10FF], [0x2000,0x200D], [0x2010,0x201F], [0x2032,0x2037]; 2 outside).
WEIGHT_BOUNDARY_CHARS = [
    "\u10ff", "\u1100", "\u1fff", "\u2000", "\u200d", "\u200e", "\u200f",
    "\u2010", "\u201f", "\u2020", "\u2031", "\u2032", "\u2037", "\u2038",
    "\u00ff", "\u0fff", "\u1000", "\u200c", "\u2011", "\u2030",
]

SPACES_AND_CONTROLS = [
    " ", "\u00a0", "\u1680", "\u180e", "\u2000", "\u2001", "\u2002", "\u2003",
    "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a",
    "\u200b", "\u200c", "\u200d", "\u202f", "\u205f", "\u3000", "\ufeff",
    "\n", "\r\n", "\r", "\t", "\v", "\f", "\x00", "\x07", "\x1b", "\x7f",
    "\x85", "\u2028", "\u2029", "\u00ad", "\u034f", "\u061c", "\u2060",
    "\u2061", "\u2062", "\u2063", "\u2064", "\ufffc", "\ufffd", "\ue000",
    "\uf8ff", "\U000f0000", "\U0010fffd", "\ufdd0", "\ufffe", "\uffff",
    "\U0001fffe", "\U0010ffff", "\ufe0f", "\ufe0e", "\U000e0100", "\U000e0041",
    "\U000e007f",
]

TEXT_STYLE_SYMBOLS = [
    "\u00a9", "\u00ae", "\u2122", "\u203c", "\u2049", "\u2194", "\u263a",
    "\u2764", "\u2714", "\u2611", "\u2660", "\u2600", "\u2601", "\u260e",
    "\u2708", "\u270c", "\u2b50", "\u2b06", "\u25b6", "\u3030", "\u303d",
    "\u3297", "\u24c2", "\u2139", "\u00b7",
]

EXTRA_EMOJI = [
    # ZWJ sequences (RGI and not), hair, professions, families
    "👨\u200d👩\u200d👧\u200d👦", "👩\u200d👩\u200d👦", "👨\u200d👦", "🧑\u200d🤝\u200d🧑",
    "👩🏽\u200d❤️\u200d💋\u200d👨🏿", "👩\u200d❤\u200d👨", "🧑🏿\u200d💻",
    "👩\u200d🦰", "👨🏻\u200d🦱",
    "🧑\u200d🦳", "👩🏾\u200d🦲", "🧔\u200d♀️", "🧔\u200d♀", "🏃\u200d♂️\u200d➡️", "🏳️\u200d🌈",
    "🏳\u200d🌈", "🏳️\u200d⚧️", "🏴\u200d☠️", "🐈\u200d⬛", "🐦\u200d🔥", "🐦\u200d⬛", "❤️\u200d🔥",
    "❤️\u200d🩹", "😶\u200d🌫️", "😮\u200d💨", "😵\u200d💫", "🙂\u200d↔️", "🍋\u200d🟩",
    "👁️\u200d🗨️", "🧑\u200d🧑\u200d🧒", "👽\u200d🚀", "🦄\u200d🌈", "😀\u200d😀", "👍\u200d",
    "\u200d👍", "👍\u200d\u200d👍", "👩\u200d", "a\u200db", "🇫🇷\u200d🇩🇪",
    # modifiers
    "🏻", "🏼", "🏽", "🏾", "🏿", "🏻🏼🏽🏾🏿", "a🏽", "🏽👍", "👍🏽🏽", "🍎🏽", "❤🏽", "☝🏽",
    "☝️🏽", "🤝🏻", "🫱🏻\u200d🫲🏿", "🧑🏽\u200d🦯\u200d➡️",
    # keycaps
    "1\u20e3", "1\ufe0f\u20e3", "#\u20e3", "#\ufe0f\u20e3", "*\u20e3", "*\ufe0f\u20e3",
    "1\ufe0e\u20e3", "a\u20e3", "!\u20e3", "\u20e3", "10\u20e3", "🔟", "1\ufe0f", "#\ufe0f",
    # flags
    ri("FR"), ri("US"), ri("JP"), ri("UN"), ri("EU"), ri("AA"), ri("ZZ"), ri("XK"),
    ri("FR") + ri("DE") + ri("IT"), ri("FRD"), ri("F"), ri("Z"), ri("FR") + "a",
    ri("U") + " " + ri("S"), ri("US") + ri("A"),
    tag_seq("gbeng"), tag_seq("gbsct"), tag_seq("gbwls"), tag_seq("usca"), tag_seq("frbre"),
    tag_seq("gbeng", cancel=False), BLACK_FLAG + CANCEL_TAG, "\U000e0067\U000e0062",
    "a" + CANCEL_TAG, "🏳", "🏳️", "🏁", "🚩", "🎌",
    # misc emoji edge cases
    "🫠", "🫨", "🪿", "🫎", "🩷", "🫥", "🥹", "🫶🏽", "🪾", "🫩", "🇨🇶", "🛜",
    "\U0001F600\ufe0e", "\U0001F600\ufe0f", "⌚\ufe0e", "⌚\ufe0f", "⌚",
    "😀😀", "😀 😀", "😀\n😀", "😀😃😄😁😆😅😂🤣", "🤷\u200d♂️🤷🏼\u200d♀️🤷🏿",
    "👨\u200d👩\u200d👧\u200d👦👨\u200d👩\u200d👧\u200d👦", "♀", "♂", "♀️", "⚕️", "⚧", "➡", "➡️",
]

URL_SAMPLES = [
    "https://example.com", "http://example.com", "https://example.com/",
    "https://www.example.com/path/to/page.html", "www.example.com", "example.com",
    "example.co", "example.fr", "example.io", "example.app", "example.museum",
    "example.co.uk", "example.com.br", "sub.domain.example.org", "example.рф",
    "пример.рф", "https://пример.рф", "https://пример.рф/путь?запрос=1", "http://пример.рф",
    "例子.中国", "https://例子.中国", "예시.한국", "https://예시.한국/경로", "example.中国",
    "example.한국", "münchen.de", "https://münchen.de/straße", "www.münchen.de",
    "xn--mnchen-3ya.de", "http://xn--e1afmkfd.xn--p1ai", "https://example.xn--p1ai",
    "foo.bar123", "file.txt", "3.14", "version 3.14.15", "e.g.", "i.e.", "a.b", "a.co", "t.co",
    "x.com", "node.js", "README.md", "script.py", "main.rs", "index.html", "config.yaml",
    "photo.jpg", "archive.tar.gz", "https://example.com:8080/path", "example.com:8080",
    "example.com:99999", "http://localhost:3000", "http://localhost", "localhost:8000",
    "https://127.0.0.1/", "http://192.168.0.1:8080/admin", "192.168.0.1", "http://[::1]:8080/",
    "https://user:pass@example.com/", "https://user@example.com", "user:pass@example.com",
    "ftp://ftp.example.com/pub/file.txt", "ftps://example.com", "mailto:someone@example.com",
    "foo@example.com", "first.last+tag@example.co.uk", "tel:+33123456789", "javascript:alert(1)",
    "data:text/plain;base64,SGVsbG8=", "file:///etc/passwd", "ssh://git@github.com/org/repo.git",
    "git@github.com:org/repo.git", "HTTPS://EXAMPLE.COM/PATH", "Https://Example.Com",
    "WWW.EXAMPLE.COM",
    "EXAMPLE.COM", "https://example.com/search?q=hello+world&lang=fr#results",
    "https://example.com/#/route", "https://example.com/path?", "https://example.com/path#",
    "https://en.wikipedia.org/wiki/Python_(programming_language)",
    "https://en.wikipedia.org/wiki/Foo_(bar)_(baz)", "https://example.com/a(b)c",
    "https://example.com/a_(b", "https://example.com/%E2%9C%93", "https://example.com/✓",
    "https://example.com/日本語", "https://example.com/émoji/😀",
    "https://example.com/path_with_ümlaut",
    "https://t.co/abc123XYZ", "t.co/abc123", "https://bit.ly/3xYz", "https://youtu.be/dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
    "https://bsky.app/profile/alice.bsky.social/post/3k2abcdxyz",
    "at://did:plc:abc123/app.bsky.feed.post/3k",
    "https://x.com/user/status/1234567890123456789", "https://twitter.com/user/status/20",
    "https://mastodon.social/@user", "https://mastodon.social/@user/111",
    "https://github.com/owner/repo/blob/main/src/file.py#L10-L20",
    "https://example.com/" + "a" * 300, "https://example.com/" + "path/" * 40,
    "https://" + "sub." * 10 + "example.com", "https://" + "a" * 63 + ".com",
    "https://" + "a" * 64 + ".com",
    "www.example", "http://example", "https://-example.com", "https://example-.com",
    "https://exa_mple.com",
    "https://example..com", "http://example.com.", "example.com.", "https://example.com/path/.",
    "www.example.com/foo-bar_baz~qux", 'https://example.com/?q="quoted"', "https://example.com/a,b,c",
    "https://example.com/~user/", "https://example.com/@user", "https://example.com/$price",
    "https://example.com/#hashtag", "https://example.com/!bang", "http://a.b.c.d.e.f.g.com",
    "https://xn--80ak6aa92e.com", "https://www.gov.uk", "gov.uk", "https://ουτοπία.δπθ.gr",
    "https://مثال.إختبار", "http://例子.测试", "example.onion", "example.local", "example.test",
    "example.invalid", "example.bsky.social", "alice.bsky.social", "bsky.app", "google.com",
    "https://example.com/" + "%20" * 60, "http://example.com/path;params?query#frag",
    "https://example.com/path/to/resource.json?api_key=abc&format=json&callback=cb",
    "https://example.com/very/long/url/that/goes/on/and/on/and/on/and/on/forever/and/ever/index.php?id=123456789",
    "https://example.com/" + "x" * 1000,
    "http://www.example.com/index.html?utm_source=twitter&utm_medium=social&utm_campaign=launch",
    "https://a.co/d/12345", "https://amzn.to/3abc", "https://example.com/pic.twitter.com/abc",
    "pic.twitter.com/abc123", "https://example.com/\u200b", "https://example.com/a\u00a0b",
    "https://ex\u00adample.com", "https://example.com/#:~:text=hello", "https://example.com:443",
    "http://example.com:80/", "https://example.com/path//double", "https:/example.com",
    "https//example.com",
    "http:///example.com", "https://.example.com", "https://example.c", "https://example.co1",
    "https://example.123", "1.1.1.1", "https://1.1.1.1", "https://example.com/?",
    "https://example.com/?#",
]

URL_CONTEXTS = [
    "{u}", "Check this: {u}", "{u} is great", "({u})", "[{u}]", '"{u}"', "«{u}»", "“{u}”",
    "'{u}'", "{u}.", "{u},", "{u};", "{u}:", "{u}!", "{u}?", "{u}...", "{u}).", "{u}!!",
    "${u}", "@{u}", "#{u}", "abc{u}", "1{u}", "日本語{u}日本語", "日本語 {u} 日本語", "见{u}。",
    "{u}😀", "😀{u}", "{u}\n{v}", "{u} {v} {w}", "-{u}", "_{u}", ".{u}", "/{u}", "<{u}>",
    "{u}/", "{u}'s", "Visit {u}, or {v}!", "{u}{v}", "{u}\u3000次", "{u}」", "「{u}」",
    "Lien : {u} !", "→{u}", "{u}…", "({u}).", "see: {u}#anchor", "{u}\t{v}",
    "Read more on {u} #news @user",
]

MENTION_SAMPLES = [
    "@user", "@user_name", "@a", "@" + "a" * 15, "@" + "a" * 20, "@" + "a" * 21, "@" + "b" * 25,
    "@user/list", "@user/list-name", "@user/" + "l" * 30, "foo@bar", "foo@bar.com", "＠user",
    "＠ユーザー", "@user:", "@user's", ".@user", "RT @user: hi", "@user@other", "@Ünicode",
    "@user.name",
    "@_", "@123", "@user!", "@user_", "@alice.bsky.social", "@bob.test", "@did:plc:abc",
    "(@alice.bsky.social)", "@alice.bsky.social.", "@xn--mnchen-3ya.de", "@localhost",
    "hi @alice.bsky.social and @bob.example.com", "email me at foo@example.com", "@@user",
    "@user@mastodon.social", "@User_Name123", "@用户", "@юзер", "@user🙂", "🙂@user", "a@user",
    "日本語@user", "@user日本語", "@user #tag $TWTR https://example.com", "@ user", "@", "@.",
    "@alice.bsky.social!", "@alice-bob.bsky.social", "@ALICE.BSKY.SOCIAL", "@alice.bsky.socia",
    "@alice.xn--p1ai", "@alice.co", "@alice.", "@-alice.com", "cc @user1 @user2 @user3",
    "@user\u200bname", "@user\u00a0name", "\n@user", "@user\n", "/@user", "_@user", "(@user)",
]

HASHTAG_SAMPLES = [
    "#café", "#東京", "#한국어", "#日本語", "#Привет", "#١٢٣", "#123", "#_", "#a", "!#tag", ".#tag",
    ",#tag", "#hashtag#other", "＃fullwidth", "＃日本", "#tag.", "#tag!", "#tag's",
    "#tag-with-dash",
    "#tag_with_underscore", "#🙂", "#tag🙂", "#c++", "#c#", "#1st", "#2024", "#ñandú", "#straße",
    "#עברית", "#العربية", "#हिन्दी", "#ไทย", "#tag\u200d", "#e\u0301te", "#", "# space", "##double",
    "#tag\ufe0f", "#\ufe0f\u20e3", "#\u20e3", "a#tag", "café#tag", "日本#タグ", "#" + "a" * 139,
    "#" + "a" * 140, "#" + "a" * 64, "#" + "a" * 65, "#tag.", "#tag,", "#tag:", "#tag?", "#tag)",
    "(#tag)", "#TAG #Tag #tag", "#tag1 #tag2 #tag3 #tag4 #tag5", "#ÉTÉ", "#l'été", "#rock&roll",
    "#under_score_", "#_underscore", "#100DaysOfCode", "#COVID19", "#𠮷野家", "#ǅemal",
    "#tag\u200b", "#tag\u00a0", "#\u200btag", "#中文标签", "#ビール", "#ｶﾀｶﾅ", "#ελληνικά",
    "#Ελλάδα", "#Україна", "#Հայաստան", "#საქართველო", "#বাংলা", "#தமிழ்", "#ພາສາລາວ", "#ខ្មែរ",
    "#မြန်မာ", "#አማርኛ", "#ᏣᎳᎩ", "#𝐛𝐨𝐥𝐝", "#tag/other", "#tag@user", "#tag$TWTR", "#tag\nnext",
    "x #tag", "x\u3000#tag", "x\t#tag", "http://example.com/#tag", "#tag.com", "#example.com",
    "#tag...", "#!", "#?", "#-", "#—tag", "#🇫🇷", "#tag🇫🇷", "#2️⃣", "#ab\u0301c",
]

CASHTAG_SAMPLES = [
    "$TWTR", "$twtr", "$TWTR.A", "$1234", "$ab_c", "$A", "$AB", "$ABCDEF", "$ABCDEFG", "$BRK.B",
    "$TWTR.AB", "$TWTR.ABC", "$TWTR,", "($TWTR)", "$TWTR's", "a$TWTR", "$$TWTR", "$TWTR$AAPL",
    "＄TWTR", "$5.00", "$100k", "US$100", "$AAPL and $GOOG", "$ÉTÉ", "$TWTR!", "$TWTR?", "$TWTR.",
    "$TWTR:", "$TWTR;", '"$TWTR"', "$TWTR’", "$tsla", "$Tsla", "$BTC", "$BTC-USD", "$ETH/USD",
    "$TWTR\n", "$ TWTR", "$", "$_", "$a1", "$1a", "$A1B2C", "#$TWTR", "@$TWTR", "$TWTR#tag",
    "buy $AAPL now 🚀🚀", "$AAPL $MSFT $GOOG $AMZN $META $NVDA", "日本$TWTR", "$TWTR日本",
]

POST_TEMPLATES = [
    # English
    "Excited to announce our new product launch! {emoji} Check it out: {url} {tag} {tag}",
    "Big thanks to {mention} for the amazing support {emoji}{emoji} #grateful",
    "Thread 🧵 1/5\n\nHere's what we learned building {tag} at scale: {url}",
    "New blog post: \"How we cut our build times by 73%\" → {url}\n\n{tag} {tag} {tag}",
    "Just landed in Tokyo {emoji} Can't wait for the conference tomorrow! {mention} {tag}",
    "Reminder: the webinar starts in 15 minutes ⏰ Join us here 👉 {url}",
    "We're hiring! 🚀 Senior Python engineer, remote-friendly. Apply: {url} {tag} {tag}",
    "Hot take: tabs > spaces. Fight me. {emoji}",
    "Q3 results are out. Revenue up 12% YoY. {cashtag} {url}",
    "RT {mention}: This is the best thing I've read all week {url}",
    "Happy Friday everyone! {emoji} What are your plans for the weekend? {tag}",
    # French
    "🎉 Grande nouvelle ! Notre boutique en ligne ouvre ses portes aujourd'hui. "
    "Découvrez nos offres : {url} {tag} {tag}",
    "Merci à {mention} pour ce superbe événement à Paris ! {emoji} "
    "On remet ça l'année prochaine ? {tag}",
    "Nouvel article sur le blog : « 10 astuces pour réussir votre rentrée » 👉 {url} "
    "#conseils {tag}",
    "⚠️ Attention : nos bureaux seront fermés le 15 août. Réouverture le lundi 18 ! "
    "Bonnes vacances à tous {emoji}",
    "Soldes d'été : jusqu'à -50 % sur toute la collection ! ☀️ {url} {tag} {tag} {tag}",
    "Ça y est, c'est officiel : on déménage à Lyon ! 🦁 Plus d'infos bientôt… {tag}",
    "Vous étiez plus de 10 000 à participer au jeu-concours 😱 Le/la gagnant·e est {mention} ! "
    "Bravo {emoji}",
    # German / Spanish / Portuguese / Italian
    "Neuer Beitrag: Wie wir unsere Größenordnung verdoppelt haben 📈 {url} {tag}",
    "¡Hola a todos! 👋 Mañana lanzamos la nueva versión. ¿Estáis listos? {url} {tag}",
    "Olá! 🇧🇷 Confira as novidades da semana em {url} {tag} {emoji}",
    "Buongiorno! ☕ Oggi parliamo di caffè e codice. {url} {tag}",
    # Non-Latin
    "新製品を発売しました！{emoji} 詳しくはこちら👉 {url} {tag} #新商品",
    "今日はいい天気ですね☀️ 散歩に行ってきます。{tag}",
    "오늘 새로운 기능을 출시했습니다! 🎉 {url} {tag} #한국어",
    "我们的新产品今天正式发布！🚀 了解更多：{url} {tag}",
    "Новая статья в блоге: как мы ускорили сборку в 3 раза 🔥 {url} {tag}",
    "أطلقنا اليوم منتجنا الجديد! 🎉 تفاصيل أكثر: {url} {tag}",
    "השקנו היום מוצר חדש! 🎉 פרטים נוספים: {url} {tag}",
    "आज हमने नया उत्पाद लॉन्च किया! 🎉 अधिक जानकारी: {url} {tag}",
    "วันนี้เราเปิดตัวผลิตภัณฑ์ใหม่! 🎉 {url} {tag}",
    "Bugün yeni ürünümüzü piyasaya sürdük! 🎉 {url} {tag}",
    "Hôm nay chúng tôi ra mắt sản phẩm mới! 🎉 Chi tiết: {url} {tag}",
    "Dziś premiera naszego nowego produktu! 🎉 Szczegóły: {url} {tag}",
    "Σήμερα κυκλοφορεί το νέο μας προϊόν! 🎉 {url} {tag}",
    # Bluesky-flavoured
    "Just joined Bluesky! Find me at {mention_bsky} 🦋 {tag}",
    "Cross-posting from the other place: {url} — thoughts, {mention_bsky}? {tag}",
    "🦋 Follow {mention_bsky} and {mention_bsky} for daily #Python tips! Links: {url}",
]

POST_EMOJI = [
    "🎉", "🚀", "❤️", "🔥", "👍", "👍🏽", "😂", "🙏🏻", "✨", "💯", "🥳", "😍", "👉", "☀️", "🇫🇷",
    "🇯🇵", "👨\u200d💻", "👩🏾\u200d🔬", "🧑\u200d🤝\u200d🧑", "🏳️\u200d🌈", "✅", "⚡", "🫶", "😅",
    "🤔", "💡", "📣", "🎁", "🥐", "🍷", "⚽", "🏆", "©️", "™️", "1️⃣", "🫠", "🐦\u200d⬛",
]
POST_TAGS = [
    "#Python", "#OpenSource", "#café", "#Paris", "#東京", "#한국어", "#日本語", "#Привет",
    "#100DaysOfCode",
    "#marketing", "#SocialMedia", "#Bluesky", "#été2024", "#rentrée", "#soldes", "#tech", "#AI",
    "#DevOps", "#startup", "#news", "#França", "#ÉcoResponsable", "#Noël", "#テスト", "#中文",
]
POST_MENTIONS = [
    "@user", "@jack", "@TwitterDev", "@le_monde", "@a_very_long_handle_1", "@ÉlodieD", "@user/list",
]
POST_BSKY_MENTIONS = ["@alice.bsky.social", "@bob.example.com", "@jay.bsky.team", "@crosspost.test"]
POST_URLS = [
    "https://example.com", "https://example.com/blog/2024/08/new-release?utm_source=x",
    "example.fr/soldes",
    "www.example.co.uk/jobs", "https://t.co/AbCdEf1234",
    "https://bsky.app/profile/alice.bsky.social",
    "https://münchen.de/events", "https://en.wikipedia.org/wiki/Python_(programming_language)",
    "https://youtu.be/dQw4w9WgXcQ", "boutique.example.fr", "https://example.com/日本語/ページ",
]
POST_CASHTAGS = ["$TWTR", "$AAPL", "$BTC", "$EUR"]

FILLER_WORDS = [
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
    "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "ut",
    "enim", "ad", "minim", "veniam", "quis", "nostrud", "exercitation",
]
# fmt: on


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def rough_x_weight(text: str) -> int:
    """Approximate X weight (no URL/emoji handling): only used to aim lengths."""
    w = 0
    for ch in text:
        cp = ord(ch)
        if (
            cp <= 0x10FF
            or 0x2000 <= cp <= 0x200D
            or 0x2010 <= cp <= 0x201F
            or 0x2032 <= cp <= 0x2037
        ):
            w += 1
        else:
            w += 2
    return w


def filler(n: int, style: str = "latin") -> str:
    """A text of exactly ``n`` units for simple scripts (ASCII: weight 1;
    CJK/kana/hangul: weight 2 -- parity fixed with one ASCII letter)."""
    if n <= 0:
        return ""
    if style == "latin":
        out, i = [], 0
        while len(" ".join(out)) < n:
            out.append(FILLER_WORDS[i % len(FILLER_WORDS)])
            i += 1
        s = " ".join(out)[:n]
        if s.endswith(" "):
            s = s[:-1] + "x"
        return s
    pools = {
        "cjk": "日本語の文章を書いています今日は天気が良いので散歩に行きました",
        "hangul": "한국어로된문장입니다오늘은날씨가좋아서산책을했습니다",
        "kana": "あいうえおかきくけこさしすせそたちつてとなにぬねの",
        "chinese": "我们今天发布了新产品欢迎大家试用并提出宝贵意见谢谢",
    }
    pool = pools[style]
    k, odd = divmod(n, 2)
    s = (pool * (k // len(pool) + 1))[:k]
    return s + ("x" if odd else "")


def zalgo(rng: random.Random, word: str, lo: int, hi: int) -> str:
    marks = (
        [chr(c) for c in range(0x300, 0x370)]
        + [chr(c) for c in range(0x1DC0, 0x1DD0)]
        + ["\u20d0", "\u20e1"]
    )
    return "".join(
        ch + "".join(rng.choice(marks) for _ in range(rng.randint(lo, hi))) for ch in word
    )


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def add_scripts(c: Corpus, rng: random.Random) -> None:
    all_samples = []
    for samples in SCRIPT_SAMPLES.values():
        for s in samples:
            c.add(s, "script")
            all_samples.append(s)
        joined = " ".join(samples)
        c.add(joined, "script")
        # long runs of the script across the 280 boundary
        c.add((joined + " ") * (300 // max(1, rough_x_weight(joined)) + 1), "script_long")
    # mixed pairs / triples of scripts
    for _ in range(50):
        k = rng.randint(2, 4)
        c.add(
            rng.choice([" ", "", " · ", "\n", " | "]).join(rng.sample(all_samples, k)), "script_mix"
        )
    # NFD / NFC / compatibility material
    for s in all_samples:
        nfd = unicodedata.normalize("NFD", s)
        if nfd != s:
            c.add(nfd, "nfd")
    nfc_cases = [
        "e\u0301",
        "E\u0301",
        "a\u0308",
        "n\u0303",
        "Ko\u0308ln",
        "cafe\u0301",
        "Cre\u0300me bru\u0302le\u0301e",
        "q\u0307",
        "a\u0301\u0323",
        "a\u0323\u0301",
        "e\u0301\u0301",
        "\u0301",
        "\u0301a",
        " \u0301",
        "\u212b",
        "\u2126",
        "\u212a",
        "\u1e9b\u0323",
        "\u0958abc",
        "\ufb2c",
        "\u0387",
        "\u037e",
        "\u0340",
        "\u2000\u2001",
        "\uf900",
        "\U0002f800",
        "\u1100\u1161",
        "\u1100\u1161\u11a8",
        "\uac00\u11a8",
        "\u1100\u1161\u1100\u1161",
        "\u0ddd",
        "\u0dd9\u0dcf\u0dca",
        "\u0b47\u0b3e",
        "\u09c7\u09be",
        "\u0915\u093c",
        "\u00c5",
        "A\u030a",
        "\u00e9" * 10,
        "e\u0301" * 10,
        "e\u0301" * 281,
        "\u00e9" * 281,
        "e\u0301" * 280,
        "\u212b" * 281,
        "\ufb2c" * 100,
        "\u0958" * 200,
        "\u1112\u1161\u11ab" * 100,
        "x " + "\ufb2c" * 93 + " y",
        "Zoë Saldaña, Beyoncé, Motörhead",
    ]
    c.extend(nfc_cases, "nfc")
    c.add(unicodedata.normalize("NFD", "Ça été très agréable, à bientôt ! " * 10), "nfc")
    c.add(unicodedata.normalize("NFD", "Tiếng Việt rất đẹp " * 16), "nfc")
    # zalgo
    for lo, hi in [(1, 3), (3, 8), (10, 20)]:
        for w in ["zalgo", "Hello world", "HE COMES", "café"]:
            c.add(zalgo(rng, w, lo, hi), "zalgo")
    c.add("a" + "\u0301" * 100, "zalgo")
    c.add("a" + "\u0301" * 300, "zalgo")
    c.add(("Z" + "\u0336" * 3) * 150, "zalgo")


def add_chars(c: Corpus) -> None:
    for ch in WEIGHT_BOUNDARY_CHARS:
        limit = 280 if rough_x_weight(ch) == 1 else 140
        for t in [ch, "a" + ch + ch + "b", ch * limit, ch * (limit + 1)]:
            c.add(t, "weight_boundary")
    c.add("".join(WEIGHT_BOUNDARY_CHARS), "weight_boundary")
    for ch in WEIGHT_BOUNDARY_CHARS:
        c.add(ch + "😀" + ch, "weight_boundary")
    common = {" ", "\u00a0", "\u200b", "\u3000", "\ufeff", "\n", "\t", "\r\n"}
    for ch in SPACES_AND_CONTROLS:
        c.add(ch, "space_control")
        c.add("a" + ch + "b", "space_control")
        if ch in common:  # separators around entities
            c.add(ch + "#tag " + ch + "@user" + ch + "example.com" + ch, "space_control")
    c.extend(
        [
            "",
            " ",
            "  ",
            "\n",
            "\n\n\n",
            " \n ",
            "\r\n\r\n",
            "\t\t",
            "a\r\nb\rc\nd",
            "line1\nline2\nline3",
            "a\u2028b\u2029c",
            "\ufeffhello",
            "hello\ufeff",
            "\ufeff",
            "text\ufffe",
            "\u0000\u0000",
            " " * 280,
            " " * 281,
            "\n" * 281,
            "a\u0300" + "\ufeff" * 3,
        ],
        "space_control",
    )


def add_emoji(c: Corpus, rng: random.Random) -> None:
    keys = list(emoji.EMOJI_DATA)
    for k in keys:  # the core of the check: every emoji on its own
        c.add(k, "emoji_data")
    c.extend(EXTRA_EMOJI, "emoji_seq")
    # text-presentation symbols: bare, VS15, VS16, in context
    for s in TEXT_STYLE_SYMBOLS:
        for v in ["", VS15, VS16]:
            c.add(s + v, "emoji_text_style")
            c.add(f"a{s + v}b {s + v}{s + v}", "emoji_text_style")
    # VS15 / VS16 variants of single code point emoji
    vs_bases = [k[0] for k in keys if len(k) == 2 and k.endswith(VS16)]
    for b in rng.sample(vs_bases, 60):
        c.add(b + VS15, "emoji_vs")
    # keycaps
    for base in "0123456789#*":
        for v in ["", VS16, VS15]:
            c.add(base + v + KEYCAP, "emoji_keycap")
            c.add(f"Press {base}{v}{KEYCAP} now", "emoji_keycap")
        c.add(base + VS16, "emoji_keycap")
    # flags: valid, invalid pairs, lone indicators, odd runs
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for ch in letters:
        c.add(ri(ch), "emoji_flag")
    c.add("x" + ri("F") + "y " + ri("R") + ".", "emoji_flag")
    valid_flags = [k for k in keys if len(k) == 2 and all(0x1F1E6 <= ord(x) <= 0x1F1FF for x in k)]
    for _ in range(30):
        c.add(ri(rng.choice(letters) + rng.choice(letters)), "emoji_flag")
    for _ in range(15):
        n = rng.randint(3, 9)
        c.add(ri("".join(rng.choice(letters) for _ in range(n))), "emoji_flag")
    for _ in range(10):
        c.add("".join(rng.sample(valid_flags, rng.randint(2, 6))), "emoji_flag")
    c.add("".join(valid_flags), "emoji_flag")
    # subdivision flags in context
    for t in [tag_seq("gbeng"), tag_seq("gbsct"), tag_seq("gbwls")]:
        c.add(f"Come on {t}!", "emoji_tag")
        c.add(t * 3, "emoji_tag")
    c.add(tag_seq("gbeng") * 141, "emoji_tag")
    # skin tones: on bases, on non-bases, doubled
    bases = sorted({k[0] for k in keys if len(k) == 2 and k[1] in TONES})
    for b in rng.sample(bases, 20):
        t = rng.choice(TONES)
        c.add(b + t + rng.choice(TONES), "emoji_tone")
        c.add(b + VS16 + t, "emoji_tone")
    for k in rng.sample([k for k in keys if len(k) == 1 and k[0] not in bases], 20):
        c.add(k + rng.choice(TONES), "emoji_tone")
    # random non-RGI ZWJ joins and near-miss sequences
    singles = [k for k in keys if len(k) <= 2 and not any(0x1F1E6 <= ord(x) <= 0x1F1FF for x in k)]
    for _ in range(40):
        c.add(ZWJ.join(rng.sample(singles, rng.randint(2, 4))), "emoji_zwj_random")
    zwj_keys = [k for k in keys if ZWJ in k]
    for k in rng.sample(zwj_keys, 35):
        c.add(k.replace(ZWJ, ""), "emoji_zwj_broken")  # joiners stripped
        c.add(k.replace(VS16, ""), "emoji_zwj_broken")  # unqualified
        c.add(k + ZWJ, "emoji_zwj_broken")
    # emoji adjacent to letters, digits, URLs, hashtags, mentions, CJK
    contexts = [
        "a{e}b",
        "1{e}2",
        "{e}https://example.com",
        "https://example.com{e}",
        "https://example.com/{e}",
        "example.com{e}",
        "{e}example.com",
        "#tag{e}",
        "{e}#tag",
        "#{e}",
        "@user{e}",
        "{e}@user",
        "$TWTR{e}",
        "日本{e}語",
        "{e}{e}",
        "{e} {e} {e}",
        "Hello {e}!",
        "{e}\n",
        "({e})",
        "«{e}»",
        "café{e}",
        "{e}\u200b{e}",
        "e\u0301{e}",
        "{e}\u0301",
    ]
    for ctx in contexts:
        for e in rng.sample(keys, 3):
            c.add(ctx.replace("{e}", e), "emoji_context")
    for _ in range(40):
        c.add("".join(rng.sample(keys, rng.randint(2, 12))), "emoji_run")
    # repeated emoji up to and over 280 weighted characters
    reps = [
        "😀",
        "👍🏽",
        "👨\u200d👩\u200d👧\u200d👦",
        ri("FR"),
        tag_seq("gbsct"),
        "🧑🏿\u200d💻",
        "❤️",
        "1️⃣",
        "🫠",
        "©",
        "🏳️\u200d🌈",
        "🐦\u200d⬛",
    ]
    for e in reps:
        for n in [2, 140, 141] if len(e) <= 2 else [3, 141]:
            c.add(e * n, "emoji_repeat")
    for n in [56, 57]:  # 5 weighted each in twitter-text: 280 / 285
        c.add("🧑🏿\u200d💻" * n, "emoji_repeat")


def add_urls(c: Corpus, rng: random.Random) -> None:
    short = [u for u in URL_SAMPLES if len(u) < 120]
    for u in URL_SAMPLES:
        c.add(u, "url")
        if len(u) > 1000:
            continue
        ctx = rng.choice(URL_CONTEXTS)
        c.add(ctx.format(u=u, v=rng.choice(short), w=rng.choice(short)), "url_context")
    for ctx in URL_CONTEXTS:
        for _ in range(1):
            c.add(
                ctx.format(u=rng.choice(short), v=rng.choice(short), w=rng.choice(short)),
                "url_context",
            )
    # trailing punctuation, closing brackets and quotes
    for i, u in enumerate(
        ["https://example.com/path", "example.com", "www.example.com/a_(b)", "https://t.co/abc"]
    ):
        for tail in [
            ".",
            ",",
            ";",
            ":",
            "!",
            "?",
            ")",
            "]",
            "}",
            "'",
            '"',
            "”",
            "’",
            "»",
            "」",
            ").",
            "?!",
            "...",
            "。",
            "、",
            "！",
            "）",
        ]:
            c.add(u + tail, "url_punct")
            if i < 2:
                c.add(f"see {u}{tail} ok", "url_punct")
    # preceded by characters
    for pre in [
        "$",
        "@",
        "#",
        "a",
        "1",
        "_",
        "-",
        ".",
        "/",
        "日本",
        "é",
        "😀",
        "\u200b",
        "\u00a0",
        "：",
        "(",
    ]:
        for u in ["example.com", "https://example.com", "www.example.com"]:
            c.add(pre + u, "url_prefix")
    # several URLs in one text
    for _ in range(15):
        n = rng.randint(2, 10)
        c.add(
            rng.choice([" ", "\n", " | ", ", "]).join(rng.choice(short) for _ in range(n)),
            "url_multi",
        )


def add_entities(c: Corpus, rng: random.Random) -> None:
    for s in MENTION_SAMPLES:
        c.add(s, "mention")
        c.add(f"hello {s} !", "mention")
    for s in HASHTAG_SAMPLES:
        c.add(s, "hashtag")
        if len(s) < 40:
            c.add(f"Post with {s} inside", "hashtag")
    for s in CASHTAG_SAMPLES:
        c.add(s, "cashtag")
        c.add(f"Stock {s} is up", "cashtag")
    pool = MENTION_SAMPLES + HASHTAG_SAMPLES + CASHTAG_SAMPLES
    for _ in range(40):
        c.add(rng.choice([" ", "", "\n"]).join(rng.sample(pool, rng.randint(2, 6))), "entity_mix")


def add_lengths(c: Corpus) -> None:
    for n in [*range(21), 50, 100, 139, 140, 141, 200, 250, 300, 350, 400, 450, 500, 550, 600]:
        c.add(filler(n), "length")
    for n in range(275, 286):
        c.add(filler(n), "length")
    for style in ["cjk", "hangul", "kana", "chinese"]:
        for n in [2, 20, 139, 140, 141, 279, 280, 281, 300]:
            c.add(filler(n, style), "length")
    # Bluesky: 300 graphemes / 3000 bytes
    for n in [299, 300, 301]:
        c.add("a" * n, "length_bsky")
        c.add("日" * n, "length_bsky")
        c.add("e\u0301" * n, "length_bsky")
    c.add("👍🏽" * 300, "length_bsky")
    c.add("क्ष" * 300, "length_bsky")
    for n in [999, 1000, 1001]:
        c.add("日" * n, "length_bsky")  # 3 bytes each: 2997 / 3000 / 3003 bytes
    c.add("a" * 3000, "length_bsky")
    c.add("a" * 3001, "length_bsky")
    # lines
    c.add("\n".join(filler(n) for n in range(1, 25)), "length")
    c.add("\r\n".join(filler(20) for _ in range(14)), "length")


BOUNDARY_BODIES = [
    ("https://example.com/some/long/path?x=1", "latin"),
    ("example.com", "latin"),
    ("https://t.co/abcdef", "cjk"),
    ("👨\u200d👩\u200d👧\u200d👦", "latin"),
    ("🧑🏿\u200d💻", "latin"),
    ("🏳️\u200d⚧️", "latin"),
    (ri("FR") + ri("DE"), "latin"),
    (tag_seq("gbeng"), "latin"),
    ("1️⃣2️⃣", "latin"),
    ("😀", "latin"),
    ("😀", "cjk"),
    ("🫠", "latin"),
    ("日本語のテキスト", "latin"),
    ("中文文本测试", "latin"),
    ("한국어 텍스트", "latin"),
    ("é", "latin"),
    ("e\u0301", "latin"),
    ("\u212b", "latin"),
    ("\ufb2c", "latin"),
    ("\u1112\u1161\u11ab", "latin"),
    ("#hashtag @mention $TWTR", "latin"),
    ("🎉 https://example.com/launch #news", "cjk"),
    ("Привет мир", "latin"),
    ("ｶﾀｶﾅ", "latin"),
    ("\u2026", "latin"),
    ("\u201c\u201d", "latin"),
    ("\ufeff", "latin"),
]


def boundary_specs() -> list[dict]:
    """Strings built to land at exact X weights / Bluesky grapheme counts."""
    specs = []
    for body, style in BOUNDARY_BODIES:
        for target in (279, 280, 281):
            specs.append(
                {"body": body, "style": style, "metric": "x", "target": target, "tail": ""}
            )
        for target in (281,):
            specs.append(
                {"body": body, "style": style, "metric": "x", "target": target, "tail": " end."}
            )
    for body, style in BOUNDARY_BODIES[:10]:
        for target in (299, 300, 301):
            specs.append(
                {"body": body, "style": style, "metric": "bsky", "target": target, "tail": ""}
            )
    return specs


def build_boundary(spec: dict, n: int) -> str:
    pre = filler(n, spec["style"])
    parts = [pre] if pre else []
    parts.append(spec["body"] + spec["tail"])
    return " ".join(parts)


def value_of(result: dict, metric: str):
    if "error" in result:
        return None
    return result["x"]["weightedLength"] if metric == "x" else result["bsky"]["graphemes"]


def add_boundaries(c: Corpus, measure) -> None:
    specs = boundary_specs()
    ns = [max(0, s["target"] - 10) for s in specs]
    for _ in range(6):
        texts = [build_boundary(s, n) for s, n in zip(specs, ns, strict=True)]
        results = measure(texts)
        done = True
        for i, (s, r) in enumerate(zip(specs, results, strict=True)):
            v = value_of(r, s["metric"])
            if v is None or v == s["target"]:
                continue
            delta = s["target"] - v
            if s["metric"] == "bsky" and s["style"] != "latin":
                delta *= 2  # CJK filler: 2 units (1 grapheme) per character
            new_n = max(0, ns[i] + delta)
            if new_n != ns[i]:
                ns[i] = new_n
                done = False
        if done:
            break
    for s, n in zip(specs, ns, strict=True):
        c.add(build_boundary(s, n), "boundary_" + s["metric"])


def add_posts(c: Corpus, rng: random.Random) -> None:
    def fill(t: str) -> str:
        out = t
        for key, pool in [
            ("{emoji}", POST_EMOJI),
            ("{tag}", POST_TAGS),
            ("{mention_bsky}", POST_BSKY_MENTIONS),
            ("{mention}", POST_MENTIONS),
            ("{url}", POST_URLS),
            ("{cashtag}", POST_CASHTAGS),
        ]:
            while key in out:
                out = out.replace(key, rng.choice(pool), 1)
        return out

    for t in POST_TEMPLATES:
        for _ in range(3):
            c.add(fill(t), "post")
    # longer posts / threads: 2-4 templates glued together (crossing 280)
    for _ in range(25):
        k = rng.randint(2, 4)
        c.add(
            rng.choice(["\n\n", " ", "\n"]).join(
                fill(rng.choice(POST_TEMPLATES)) for _ in range(k)
            ),
            "post_long",
        )


def add_random(c: Corpus, rng: random.Random, count: int) -> None:
    keys = list(emoji.EMOJI_DATA)
    script_pool = [s for v in SCRIPT_SAMPLES.values() for s in v]
    words = [w for s in script_pool for w in s.split()]
    short_urls = [u for u in URL_SAMPLES if len(u) < 80]
    kinds = [
        (30, lambda: rng.choice(words)),
        (10, lambda: rng.choice(script_pool)),
        (12, lambda: rng.choice(keys)),
        (6, lambda: rng.choice(EXTRA_EMOJI)),
        (6, lambda: rng.choice(short_urls)),
        (5, lambda: rng.choice(MENTION_SAMPLES)),
        (5, lambda: rng.choice(HASHTAG_SAMPLES)),
        (3, lambda: rng.choice(CASHTAG_SAMPLES)),
        (3, lambda: rng.choice(SPACES_AND_CONTROLS)),
        (2, lambda: rng.choice(WEIGHT_BOUNDARY_CHARS)),
        (4, lambda: rng.choice(FILLER_WORDS)),
        (2, lambda: rng.choice(".,;:!?()[]\"'«»“”…—-–/\\|&%*+=<>")),
        (2, lambda: str(rng.randint(0, 10 ** rng.randint(1, 8)))),
        (1, lambda: unicodedata.normalize("NFD", rng.choice(script_pool))),
    ]
    weights = [w for w, _ in kinds]
    makers = [m for _, m in kinds]
    seps = [" "] * 12 + ["", "\n", ", ", " - ", "\u3000", "\t", "\n\n", " · "]
    for _ in range(count):
        # target lengths: spread over 0..600, with extra mass near 280
        r = rng.random()
        if r < 0.3:
            target = rng.randint(260, 300)
        elif r < 0.6:
            target = rng.randint(0, 40)
        elif r < 0.9:
            target = rng.randint(0, 250)
        else:
            target = rng.randint(300, 600)
        parts: list[str] = []
        w = 0
        while w < target:
            frag = rng.choices(makers, weights)[0]()
            parts.append(frag)
            w += rough_x_weight(frag) + 1
            if len(parts) > 400:
                break
        text = ""
        for j, p in enumerate(parts):
            text += (rng.choice(seps) if j else "") + p
        # occasionally cut in the middle (can split grapheme clusters)
        if text and rng.random() < 0.15:
            text = text[: rng.randint(0, len(text))]
        c.add(text, "random")


# ---------------------------------------------------------------------------
# Node bridge
# ---------------------------------------------------------------------------


class Measurer:
    def __init__(self, node: str) -> None:
        self.node = node
        if not (REFERENCE_DIR / "node_modules").is_dir():
            sys.exit(
                f"error: {REFERENCE_DIR / 'node_modules'} not found.\n"
                "Install the reference packages first:\n"
                "    cd tools/reference && npm ci   (or: npm install)"
            )

    def versions(self) -> dict:
        out = subprocess.run(
            [self.node, str(MEASURE_JS), "--versions"],
            capture_output=True,
            text=True,
            check=True,
            cwd=REFERENCE_DIR,
        )
        return json.loads(out.stdout)

    def __call__(self, texts: list[str]) -> list[dict]:
        payload = json.dumps(texts, ensure_ascii=True)
        out = subprocess.run(
            [self.node, str(MEASURE_JS)],
            input=payload.encode("ascii"),
            capture_output=True,
            check=False,
            cwd=REFERENCE_DIR,
        )
        if out.returncode != 0:
            sys.exit(
                f"measure.js failed ({out.returncode}):\n{out.stderr.decode('utf-8', 'replace')}"
            )
        results = json.loads(out.stdout.decode("utf-8"))
        if len(results) != len(texts):
            sys.exit(f"measure.js returned {len(results)} results for {len(texts)} strings")
        for t, r in zip(texts, results, strict=True):
            if r.get("text") != t:
                sys.exit(f"measure.js echoed a different text for {t!r}")
        return results


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def build(measure) -> Corpus:
    rng = random.Random(SEED)
    c = Corpus()
    add_emoji(c, rng)
    add_scripts(c, rng)
    add_chars(c)
    add_urls(c, rng)
    add_entities(c, rng)
    add_lengths(c)
    add_boundaries(c, measure)
    add_posts(c, rng)
    add_random(c, rng, 105)
    return c


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--node", default=os.environ.get("NODE") or shutil.which("node") or "node")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="print statistics only, do not write")
    args = ap.parse_args(argv)

    measure = Measurer(args.node)
    versions = measure.versions()
    if versions.get("twitter_text") != EXPECTED_TWITTER_TEXT:
        sys.exit(
            f"twitter-text {versions.get('twitter_text')} installed, "
            f"expected {EXPECTED_TWITTER_TEXT}"
        )

    corpus = build(measure)
    results = measure([t for t, _ in corpus.cases])
    # Group the cases by generator section (stable), recorded once in the
    # header as [name, start, end) index ranges to keep the file small.
    order = {}
    for _, category in corpus.cases:
        order.setdefault(category, len(order))
    paired = sorted(zip(corpus.cases, results, strict=True), key=lambda p: order[p[0][1]])
    cases = [r for _, r in paired]
    sections = []
    for i, ((_, category), _) in enumerate(paired):
        if sections and sections[-1][0] == category:
            sections[-1][2] = i + 1
        else:
            sections.append([category, i, i + 1])

    doc = {
        "generator": "tools/make_corpus.py",
        "twitter_text_version": versions["twitter_text"],
        "atproto_api_version": versions["atproto_api"],
        "twemoji_parser_version": versions["twemoji_parser"],
        "node_version": versions["node"],
        "node_unicode_version": versions["unicode"],
        "emoji_package_version": emoji.__version__,
        "seed": SEED,
        "notes": (
            "x: twitter-text parseTweet (default config v3). "
            "x_* entity lists are [value, start, end] "
            "in UTF-16 code units of text; x_emoji indices refer to text.normalize('NFC'). "
            "bsky: @atproto/api RichText graphemeLength (node Intl.Segmenter) and UTF-8 length; "
            "bsky_facets: detectFacetsWithoutResolution, UTF-8 byte offsets. "
            "sections: [name, start, end) ranges of case indices per generator section."
        ),
        "count": len(cases),
        "sections": sections,
        "cases": cases,
    }
    errors = [c for c in cases if "error" in c]
    print(f"cases: {len(cases)}  errors: {len(errors)}", file=sys.stderr)
    for name, start, end in sections:
        print(f"  {name:20} {end - start}", file=sys.stderr)
    for e in errors[:20]:
        print(f"  error: {e['text'][:40]!r}: {e['error']}", file=sys.stderr)
    if args.check:
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(data + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(data.encode('utf-8'))} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
