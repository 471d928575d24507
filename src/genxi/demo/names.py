"""Realistic fake people: names, mobile numbers, ID numbers with a valid check digit."""

import random
from datetime import date, timedelta

from genxi.people.domain.idcard import make_id_number

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "建国",
    "建华",
    "国强",
    "玉兰",
    "文",
    "华",
    "红",
    "建军",
    "志强",
    "晓东",
    "晓燕",
    "海燕",
    "雪梅",
    "丹",
    "慧",
    "婷",
    "宇",
    "浩",
    "鑫",
    "佳怡",
    "子涵",
    "欣怡",
    "思远",
    "嘉怡",
    "俊杰",
    "美玲",
    "凤英",
    "根宝",
    "阿毛",
    "小妹",
    "金娣",
    "雅琴",
    "振华",
    "卫东",
    "立新",
    "春梅",
    "秋云",
    "建平",
    "永明",
    "德明",
    "惠芳",
]
MOBILE_PREFIXES = (
    "131",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "187",
    "188",
    "189",
    "199",
)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def id_number(rng: random.Random, region6: str, oldest: int = 1935, youngest: int = 2006) -> str:
    start = date(oldest, 1, 1)
    born = start + timedelta(days=rng.randrange((date(youngest, 12, 31) - start).days))
    return make_id_number(region6, born, rng.randrange(1000))
