"""The three checklists of the newspaper page, as the data `services.ensure_default_templates`
puts in place (a first version each; later edits make new versions). They are data, stored
in Chinese as the inspectors print them, not interface strings."""

from __future__ import annotations

from typing import Any

FOOD_LAW = "《中华人民共和国食品安全法》"
FIRE_LAW = "《中华人民共和国消防法》"

DEFAULTS: list[dict[str, Any]] = [
    {
        "code": "school-canteen-food",
        "name": "学校食堂食品安全检查表",
        "kind": "food",
        "target_kinds": ["school_canteen"],
        "items": [
            (
                "从业人员持有效健康证明上岗",
                "major",
                FOOD_LAW + "第四十五条",
                "无健康证明人员立即停止接触直接入口食品的工作,办理健康证明",
                True,
            ),
            (
                "食品加工设施设备运转正常",
                "minor",
                FOOD_LAW + "第三十三条",
                "维修或更换故障设备,保持正常运转",
                True,
            ),
            (
                "原材料在保质期内、感官性状正常",
                "critical",
                FOOD_LAW + "第三十四条",
                "立即下架并销毁过期、变质原材料,建立进货查验记录",
                True,
            ),
            (
                "按规定留存食品留样",
                "major",
                "《学校食品安全与营养健康管理规定》第三十五条",
                "每餐次食品成品留样不少于125克,冷藏保存48小时以上",
                True,
            ),
            (
                "供货商证照及票据齐全(索证索票)",
                "major",
                FOOD_LAW + "第五十条",
                "补齐供货商资质证明和进货票据,建立台账",
                False,
            ),
            (
                "餐用具清洗消毒到位",
                "major",
                FOOD_LAW + "第三十三条",
                "按规定清洗消毒餐用具,做好消毒记录",
                True,
            ),
            (
                "各加工区域环境卫生整洁",
                "minor",
                FOOD_LAW + "第三十三条",
                "清理各加工区域,保持清洁,落实清洁制度",
                True,
            ),
            (
                "使用\u201c苏食安\u201d应用上报食品安全信息",
                "minor",
                "",
                "下载并按要求使用\u201c苏食安\u201d应用,按时上报",
                False,
            ),
        ],
    },
    {
        "code": "shop-fire-safety",
        "name": "沿街商铺消防安全检查表",
        "kind": "fire",
        "target_kinds": ["restaurant", "hotel", "estate_agency", "training", "shop"],
        "items": [
            (
                "电气线路敷设规范,无私拉乱接",
                "major",
                FIRE_LAW + "第二十七条",
                "请专业电工整改线路,拆除私拉乱接电线",
                True,
            ),
            (
                "灭火器配置齐全且在有效期内",
                "major",
                FIRE_LAW + "第十六条",
                "按规定配置灭火器,更换过期灭火器",
                True,
            ),
            (
                "无\u201c三合一\u201d(住人、仓储与经营混合)情况",
                "critical",
                "《住宿与生产储存经营合用场所消防安全技术要求》",
                "立即停止在经营、仓储场所内住人,设置防火分隔",
                True,
            ),
            (
                "安全出口和疏散通道畅通",
                "critical",
                FIRE_LAW + "第二十八条",
                "立即清理堵塞安全出口、疏散通道的物品",
                True,
            ),
            (
                "横幅、宣传单张贴规范",
                "minor",
                "《城市市容和环境卫生管理条例》第十一条",
                "撤除不规范的横幅和张贴物",
                False,
            ),
        ],
    },
    {
        "code": "residential-environment",
        "name": "小区居住环境检查表",
        "kind": "environment",
        "target_kinds": ["residential"],
        "items": [
            (
                "楼道无杂物堆放",
                "major",
                FIRE_LAW + "第二十八条",
                "清理楼道堆放物品,保持通道畅通",
                True,
            ),
            (
                "电梯井道清洁、无杂物",
                "major",
                "《特种设备安全法》第三十九条",
                "物业公司清理电梯井道并做好维保记录",
                True,
            ),
            (
                "地下车库整洁、无违规充电",
                "major",
                FIRE_LAW + "第二十八条",
                "清理地下车库,拆除违规充电设施",
                True,
            ),
            (
                "无障碍坡道通行顺畅",
                "minor",
                "《无障碍环境建设法》第二十九条",
                "清除占用无障碍坡道的物品,修复破损坡道",
                True,
            ),
            (
                "绿化带无毁绿、无堆物",
                "minor",
                "《城市绿化条例》第二十条",
                "清理绿化带内堆物,补种被毁绿化",
                False,
            ),
            (
                "路面平整,无坑洼和破损铺装",
                "minor",
                "《物业管理条例》第五十五条",
                "修补坑洼路面和破损铺装",
                True,
            ),
        ],
    },
]
