"""The request categories: ten top-level codes (as the issue fixes them) and our own
subcategories, with default deadlines (response in working hours, resolution in working days).
"""

from typing import Any

# code, name, English name, response hours, resolve days, description
CATEGORIES = [
    ("ENV", "市容环境", "Environment and appearance", 4, 5, "垃圾、杂物、绿化、噪声、油烟"),
    ("ENV.01", "垃圾清运", "Rubbish collection", 4, 2, ""),
    ("ENV.02", "楼道杂物", "Clutter in stairwells", 4, 3, ""),
    ("ENV.03", "绿化养护", "Green spaces", 8, 5, ""),
    ("ENV.04", "噪声油烟", "Noise and cooking fumes", 4, 5, ""),
    ("FAC", "设施维修", "Facilities and repairs", 4, 5, "路面、路灯、管道、电梯、健身器材"),
    ("FAC.01", "道路破损", "Damaged roads and paving", 4, 7, ""),
    ("FAC.02", "路灯照明", "Street lights", 4, 3, ""),
    ("FAC.03", "给排水", "Water and drains", 2, 2, ""),
    ("FAC.04", "电梯", "Lifts", 2, 2, ""),
    ("SAFE", "安全隐患", "Safety hazards", 2, 2, "消防、电动车充电、危房、燃气"),
    ("SAFE.01", "消防通道", "Fire escapes", 2, 1, ""),
    ("SAFE.02", "电动车充电", "E-bike charging", 2, 2, ""),
    ("SAFE.03", "燃气与用电", "Gas and electricity", 1, 1, ""),
    ("PROP", "物业管理", "Property management", 4, 5, "物业服务、停车、收费、门禁"),
    ("PROP.01", "物业服务", "Property services", 4, 5, ""),
    ("PROP.02", "小区停车", "Parking in estates", 4, 5, ""),
    ("NEIGH", "邻里纠纷", "Neighbour disputes", 8, 10, "漏水、噪音、占用公共空间"),
    ("AID", "民生帮扶", "Help for residents", 8, 7, "独居老人、残疾人、困难家庭"),
    ("AID.01", "助老服务", "Help for the elderly", 8, 5, ""),
    ("AID.02", "困难救助", "Hardship relief", 8, 10, ""),
    ("MKT", "市场监管", "Market supervision", 8, 10, "食品安全、价格、无证经营"),
    ("TRAF", "交通出行", "Traffic and transport", 8, 10, "公交、非机动车停放、交通设施"),
    ("POL", "政策咨询", "Policy questions", 8, 3, "社保、医保、户籍、补贴"),
    ("SUG", "意见建议", "Suggestions", 16, 15, "对社区工作的意见和建议"),
]


def ensure(category_model) -> None:
    """Create or update the categories (used by the data migration and by the demo)."""
    by_code: dict[str, Any] = {}
    for code, name, name_en, hours, days, description in CATEGORIES:
        parent = by_code.get(code.split(".")[0]) if "." in code else None
        by_code[code], _ = category_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "parent": parent,
                "response_hours": hours,
                "resolve_days": days,
                "description": description,
            },
        )
