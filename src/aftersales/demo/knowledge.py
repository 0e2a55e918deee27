"""Demo knowledge base (R-KB-1): fixes the demo's engineers wrote for the demo's models
and fault codes — most published (several public for the portal's self-help), one
awaiting the technical department's review, one draft."""

from __future__ import annotations

from typing import Any

from aftersales.customers.models import FaultCode, PartItem, ProductModel
from aftersales.knowledge import services

# (model, fault code, title, symptom, cause, steps, parts, public, state)
ARTICLES = [
    (
        "HX-NVR-6400",
        "E01",
        "录像机提示硬盘错误、无法录像",
        "前面板硬盘灯红色常亮，界面提示“硬盘错误”，录像计划不执行。",
        "硬盘 SATA 线松动，或硬盘坏道。",
        "1. 断电后重新插紧硬盘 SATA 线和电源线；\n2. 开机进入“存储管理”查看硬盘状态；\n"
        "3. 仍报错时更换硬盘并在录像机上格式化。",
        ["P-HDD-4T"],
        True,
        "published",
    ),
    (
        "HX-NVR-6400",
        "E02",
        "录像回放卡顿、跳帧",
        "回放录像时画面卡顿或跳帧，实时预览正常。",
        "回放码流过高，或硬盘写满后覆盖异常。",
        "1. 回放时改用子码流；\n2. 检查硬盘剩余空间与覆盖策略；\n3. 升级录像机固件到最新版本。",
        [],
        True,
        "published",
    ),
    (
        "HX-NVR-6400",
        "E04",
        "录像机风扇异响、机身过热",
        "机箱温度高，风扇噪声大，偶尔自动重启。",
        "风扇积灰或风扇损坏，机柜通风不良。",
        "1. 清理风扇和进风口灰尘；\n2. 风扇不转时更换风扇；\n3. 建议机柜加装排风。",
        [],
        False,
        "published",
    ),
    (
        "HX-CAM-420",
        "C01",
        "摄像机开机黑屏、无图像",
        "客户端显示黑屏或“无视频信号”，摄像机指示灯不亮。",
        "PoE 供电不足或网线接触不良。",
        "1. 远程指导客户查看交换机 PoE 指示灯；\n2. 更换网线或改用独立 12V 电源；\n"
        "3. 仍黑屏时上门检查摄像机主板。",
        [],
        True,
        "published",
    ),
    (
        "HX-CAM-420",
        "C02",
        "夜视画面偏红",
        "夜间画面整体发红、发紫，白天正常。",
        "红外滤光片（IR-CUT）切换失灵。",
        "1. 在摄像机设置中切换日夜模式，听是否有切换声；\n2. 无声音时更换 IR-CUT 组件。",
        [],
        True,
        "published",
    ),
    (
        "HX-UPS-20K",
        "U01",
        "UPS 电池后备时间明显缩短",
        "市电断开后 UPS 只能支撑几分钟，面板提示电池容量低。",
        "蓄电池老化（使用超过 3 年）。",
        "1. 做一次电池自检；\n2. 测量单节电池电压，低于 12V 的更换；\n3. 整组更换后校准容量。",
        [],
        False,
        "published",
    ),
    (
        "HX-LCD-55",
        "L01",
        "拼接屏闪烁",
        "拼接屏某一块画面闪烁，偶尔黑屏一下。",
        "视频线接触不良，或信号源分辨率与屏不匹配。",
        "1. 重新插拔该屏的 HDMI/DVI 线；\n2. 把信号源分辨率设为 1920×1080@60Hz；\n"
        "3. 仍闪烁时更换视频线。",
        ["C-CLEAN"],
        True,
        "published",
    ),
    (
        "HX-ACS-100",
        "A01",
        "门禁刷卡无反应",
        "刷卡时读卡器无蜂鸣、指示灯不亮。",
        "读卡器 12V 电源断开或韦根线接反。",
        "1. 测量读卡器电源 12V；\n2. 核对韦根 D0/D1 接线；\n3. 更换读卡器。",
        [],
        True,
        "in_review",
    ),
    (
        "HX-SW-48G",
        "S02",
        "光口不通",
        "交换机光口指示灯不亮，对端无链路。",
        "光模块故障或光纤收发接反。",
        "1. 交换光纤收发两芯；\n2. 更换千兆光模块。",
        ["P-SFP-1G"],
        False,
        "draft",
    ),
]


def demo_knowledge(staff: dict[str, Any]) -> int:
    writer, reviewer = staff["tech"], staff["techdept"]
    made = 0
    for model_code, fault, title, symptom, cause, steps, parts, public, state in ARTICLES:
        model = ProductModel.objects.get(code=model_code)
        article = services.article_create(
            actor=writer,
            title=title,
            symptom=symptom,
            cause=cause,
            steps=steps,
            product_models=[model],
            fault_codes=list(FaultCode.objects.filter(product_model=model, code=fault)),
            parts=list(PartItem.objects.filter(code__in=parts)),
            public=public,
        )
        if state != "draft":
            services.article_submit(actor=writer, article=article)
        if state == "published":
            services.article_publish(actor=reviewer, article=article)
        made += 1
    return made
