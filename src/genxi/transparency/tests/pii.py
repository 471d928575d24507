"""Generated personal data for the public outputs' tests: names, phones, ID numbers,
tracking codes and exact addresses, as hypothesis strategies and as a fixed plant."""

from __future__ import annotations

from hypothesis import strategies as st

from genxi.transparency.domain.masking import SURNAMES

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # cases.services.CODE_ALPHABET
GIVEN = "秀英建国志强丽娟国华海燕明伟红梅晓东玉兰桂芳文杰春花"
ESTATES = ("彩香一村", "观景新村", "三香花园", "金色家园", "桐泾公寓")

names = st.builds(
    lambda s, g: s + g,
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN, min_size=1, max_size=2),
)
phones = st.builds(
    lambda second, rest: f"1{second}{rest}",
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
id_numbers = st.builds(
    lambda area, y, m, d, seq, check: f"{area}{y}{m:02d}{d:02d}{seq}{check}",
    st.sampled_from(["320502", "320508", "110101", "440305"]),
    st.integers(1930, 2015),
    st.integers(1, 12),
    st.integers(1, 28),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
    st.sampled_from("0123456789X"),
)
codes = st.text(alphabet=CODE_ALPHABET, min_size=10, max_size=10)
addresses = st.builds(
    lambda estate, building, room: f"{estate}{building}幢{room}室",
    st.sampled_from(ESTATES),
    st.integers(1, 60),
    st.integers(101, 2604),
)
