"""Masking a case's title for the public pages: stricter than the staff pages' masking
(`core.domain.masking.mask_free_text`, reused first), because the public sees no more than
what the problem was.

- numbers typed in (phones, ID and card numbers, landlines: found by the core's rule, then
  every run of digits, ASCII or full-width, becomes one `*`, so neither a number nor its
  length is shown — house and room numbers, street numbers, dates and counts alike);
- house numbers in Chinese numerals (三幢, 十二号楼, 五单元, 二〇一室);
- tracking codes and other codes (a run of six or more capital letters and digits);
- names: the reporter's and any names the caller knows (every occurrence), and a common
  surname followed by one or two characters before a word that marks a person (张三反映,
  王秀英家, 李先生, 联系人刘芳) become the surname and 某 (张某).

Pure: no Django. Tested with generated personal data (tests/test_masking.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from genxi.core.domain.masking import mask_free_text

# The most common surnames (the first hundred or so cover nine people in ten).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟")

# What follows a name in a complaint: the person acts, owns or is addressed.
_AFTER_NAME = (
    "反映|投诉|举报|来电|称|说|家|的家|家中|户|先生|女士|小姐|老师|师傅|阿姨|大爷|大妈|奶奶|爷爷|"
    "同志|电话|手机|等人|一家|夫妇|儿子|女儿"
)
# What comes before a name: someone is named.
_BEFORE_NAME = "联系人|反映人|投诉人|举报人|居民|住户|业主|租户|姓名|老人|独居老人"
_SURNAME = f"(?:{'|'.join(COMPOUND_SURNAMES)}|[{SURNAMES}])"
_HAN = "(?:(?!某)[\\u4e00-\\u9fff])"  # a character of a given name (not one masked already)
_GIVEN = f"{_HAN}{{1,2}}?"
_NAME_AFTER = re.compile(f"({_SURNAME}){_GIVEN}(?=(?:{_AFTER_NAME}))")
# After 居民, 联系人 …: the shortest name followed by a word of the list or by no Chinese,
# else (居民王秀英楼道堆物) two characters.
_NAME_BEFORE_SHORT = re.compile(
    f"((?:{_BEFORE_NAME})[:：]?\\s*)({_SURNAME}){_GIVEN}(?=(?:{_AFTER_NAME})|[^\\u4e00-\\u9fff]|$)"
)
_NAME_BEFORE = re.compile(
    f"((?:{_BEFORE_NAME})[:：]?\\s*)({_SURNAME}){_HAN}{{1,2}}"
    f"(?!(?:小区|新村|社区|街道|路|街|巷|幢|栋))"
)

_DIGITS = re.compile(r"[0-9０-９*＊]+")
_CODE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z0-9]*(?:[A-Z][A-Za-z0-9]*\d|\d[A-Za-z0-9]*[A-Z])"
    r"[A-Za-z0-9]*(?![A-Za-z0-9])"
)
_CAPS = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]{6,}(?![A-Za-z0-9])")
_CN_NUMERAL = "零〇一二三四五六七八九十百两"
_CN_HOUSE = re.compile(f"[{_CN_NUMERAL}]+(?=(?:号楼|幢|栋|单元|室|号|层|楼|弄|巷|排|组))")


def _surname_of(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def mask_title(title: str, names: Iterable[str] = ()) -> str:
    """The title as the public may read it (see the module's rules)."""
    if not title:
        return ""
    text = mask_free_text(title)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True
    ):
        text = text.replace(name, _surname_of(name) + "某")
    text = _CAPS.sub("*", text)
    text = _CODE.sub("*", text)
    text = _DIGITS.sub("*", text)
    text = _CN_HOUSE.sub("*", text)
    text = _NAME_BEFORE_SHORT.sub(lambda m: f"{m.group(1)}{m.group(2)}某", text)
    text = _NAME_BEFORE.sub(lambda m: f"{m.group(1)}{m.group(2)}某", text)
    text = _NAME_AFTER.sub(lambda m: f"{m.group(1)}某", text)
    return text
