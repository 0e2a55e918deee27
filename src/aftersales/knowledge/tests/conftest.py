"""A fixture knowledge base: ten published articles of faults and fixes, written by a
technician and published by the technical department."""

from types import SimpleNamespace

import pytest
from tests import factories

from aftersales.customers.services import fault_code_create
from aftersales.knowledge import services

ARTICLES = [
    (
        "black",
        "录像机开机黑屏",
        "HX-NVR-6400",
        "开机后显示器黑屏，无信号输出",
        "检查 HDMI 线和显示器输入源，重新插拔后重启录像机。",
    ),
    (
        "blur",
        "摄像机画面模糊",
        "HX-CAM-200",
        "夜间画面模糊，有雪花点",
        "清洁镜头，调整焦距，检查红外灯。",
    ),
    (
        "disk",
        "硬盘无法识别",
        "HX-NVR-6400",
        "录像机提示硬盘错误，无法录像",
        "更换 SATA 线，在录像机上格式化硬盘。",
    ),
    (
        "card",
        "门禁读卡器无反应",
        "HX-ACS-10",
        "刷卡无反应，指示灯不亮",
        "检查读卡器的 12V 电源和接线。",
    ),
    ("paper", "打印机卡纸", "HX-PRN-1", "打印时频繁卡纸", "清理纸道，更换搓纸轮。"),
    (
        "network",
        "交换机端口掉线",
        "HX-SW-24",
        "交换机端口频繁掉线，网络中断",
        "更换网线，检查 VLAN 配置。",
    ),
    (
        "flicker",
        "显示器闪屏",
        "HX-MON-27",
        "显示器画面闪烁，偶尔黑一下",
        "更换视频线，调整刷新率。",
    ),
    ("ups", "UPS 报警长鸣", "HX-UPS-3K", "UPS 蜂鸣器长鸣，电池故障灯亮", "更换电池组，校准 UPS。"),
    (
        "remote",
        "云台控制失灵",
        "HX-CAM-200",
        "云台不能转动，控制无响应",
        "检查 485 线的极性和地址码。",
    ),
    (
        "playback",
        "录像回放卡顿",
        "HX-NVR-3200",
        "回放录像时画面卡顿",
        "降低回放码流，升级录像机固件。",
    ),
]


def publish(users, *, title, model=None, symptom, steps, public=True, fault_codes=()):
    article = services.article_create(
        actor=users.tech,
        title=title,
        symptom=symptom,
        steps=steps,
        product_models=[model] if model else [],
        fault_codes=list(fault_codes),
        public=public,
    )
    services.article_submit(actor=users.tech, article=article)
    return services.article_publish(actor=users.techdept, article=article)


@pytest.fixture
def knowledge(users):
    models = {}
    made = {}
    for key, title, code, symptom, steps in ARTICLES:
        model = models.get(code) or factories.make_product_model(code)
        models[code] = model
        codes = []
        if key == "black":
            codes = [
                fault_code_create(
                    actor=users.techdept, product_model=model, code="E-VID", name="无视频输出"
                )
            ]
        made[key] = publish(
            users,
            title=title,
            model=model,
            symptom=symptom,
            steps=steps,
            public=key != "disk",  # the disk fix is for staff only
            fault_codes=codes,
        )
    return SimpleNamespace(models=models, **made)
