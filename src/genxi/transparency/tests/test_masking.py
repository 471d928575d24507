"""The public title masking (domain/masking.py), on generated personal data."""

from hypothesis import given, settings
from hypothesis import strategies as st

from genxi.transparency.domain.masking import mask_title

from .pii import addresses, codes, id_numbers, names, phones

TEMPLATES = (
    "{name}反映{address}漏水,电话{phone}",
    "居民{name}:楼道堆物 身份证{id} 查询码{code}",
    "{address}门口路灯不亮({name}家)",
    "联系人{name} 手机 {phone} 地址{address}",
    "查询码{code}的诉求未回复,{name}投诉",
    "{name}先生称{address}噪音扰民 {id}",
    "居民{name}楼道堆物影响通行",
    "住户{name}家门口{address}积水",
)


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(TEMPLATES),
    names,
    phones,
    id_numbers,
    codes,
    addresses,
    st.booleans(),
)
def test_no_planted_data_survives(template, name, phone, id_number, code, address, known):
    title = template.format(name=name, phone=phone, id=id_number, code=code, address=address)
    masked = mask_title(title, [name] if known else [])
    for secret in (name, phone, id_number, code, address):
        assert secret not in masked, (title, masked)
    # no part of a number survives: not the last four of a phone, not a room number
    assert not any(ch.isdigit() for ch in masked), masked
    # the given name never survives either, whether the name was known or guessed — unless
    # the same characters are also elsewhere in the title (花 of a given name in 三香花园)
    elsewhere = title.replace(name, "")
    given = name[1:]
    assert given not in masked or given in elsewhere or given == "某", masked


@given(phones)
def test_spaced_and_full_width_numbers(phone):
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    wide = phone.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for text in (spaced, wide, f"TEL{phone}", f"+86-{phone}"):
        masked = mask_title(f"电话{text}")
        assert not any(ch.isdigit() for ch in masked), masked


def test_plain_titles_are_kept():
    for title in ("小区路面破损", "高空抛物", "楼道堆物影响通行", "金阊街道彩香一村路灯不亮", ""):
        assert mask_title(title) == title


def test_examples():
    assert mask_title("张三反映彩香一村5幢302室漏水") == "张某反映彩香一村*幢*室漏水"
    assert mask_title("三号楼电梯坏了") == "*号楼电梯坏了"
    assert mask_title("查询码K7M3P9Q2XA未回复") == "查询码*未回复"
    assert mask_title("欧阳娜娜投诉噪音") == "欧阳某投诉噪音"
    assert mask_title("小张来了", names=["小张"]) == "小某来了"
    assert mask_title("居民欧阳海燕反映", names=["欧阳海燕"]) == "居民欧阳某反映"
