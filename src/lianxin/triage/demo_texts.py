"""Residents' texts and the way a county really routes them, for the demo and the bench.

Each intent is what a resident means (unpaid wages, a dark street light …), with many ways of
saying it, and a route that may depend on where they are: a street light in the county seat
goes to 县城管局, in another town's 集镇 to the town, in a village to the village. About a quarter
of the texts are *vague* the way residents write ("那个灯又不亮了", "钱的事一直没人管"): short,
colloquial, no keyword, so that the model is measured on what it will meet.

``PLACES``: ``seat`` (a community of the county seat, 城关镇), ``community`` (a community of
another town, its 集镇) and ``village``. Routes: ``dept:<short name>`` (``DEPARTMENTS``),
``@grid``/``@village``/``@town`` (the request's own levels) or ``@property`` (its 小区's property
project). Pure Python, seeded: the bench regenerates the same texts without a database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# short name -> the department's name in the demo county (org's demo has most of them; the
# triage demo adds 教育, 卫健 and 城管, which a county has and org's demo leaves out)
DEPARTMENTS = {
    "人社": "县人力资源和社会保障局",
    "市场监管": "县市场监督管理局",
    "教育": "县教育局",
    "卫健": "县卫生健康局",
    "民政": "县民政局",
    "交通": "县交通运输局",
    "城管": "县城市管理局",
    "住建": "县住房和城乡建设局",
    "水务": "县水务局",
    "供热公司": "县城区供热公司",
    "自然资源": "县自然资源局",
    "派出所": "县公安局城关派出所",
}
# categories the shipped tree lacks: (code, name, parent code)
EXTRA_CATEGORIES = [
    ("other-food", "食品安全", "other"),
    ("other-school", "教育入学", "other"),
    ("other-health", "医疗卫生", "other"),
    ("help-veteran", "退役军人帮扶", "help"),
]

PLACES = ("seat", "community", "village")


@dataclass(frozen=True)
class Intent:
    key: str
    category: str
    routes: dict[str, str]  # place -> route ("*" for every place)
    titles: tuple[str, ...]
    bodies: tuple[str, ...]  # with {place} / {where}
    vague: tuple[str, ...] = ()  # what a resident writes without the keyword
    places: tuple[str, ...] = PLACES
    weight: int = 5

    def route(self, place: str) -> str:
        return self.routes.get(place) or self.routes["*"]


INTENTS: tuple[Intent, ...] = (
    Intent(
        "wage",
        "dispute-wage",
        {"*": "dept:人社"},
        ("农民工工资拖欠", "工资被拖欠", "讨要工钱", "包工头欠薪"),
        (
            "我在{where}的工地上干了{n}个月，包工头一直拖着工资不发，找了好几次都说没钱。",
            "去年在{where}给老板打工，{n}千多块工资到现在还没结，老板电话也不接了。",
            "我们{n}个老乡在建筑工地干活，项目完工了工钱却拖欠着，请劳动监察帮忙讨薪。",
            "厂里已经{n}个月没发工资了，老板说资金周转困难，我们一家等着钱用。",
        ),
        (
            "干了活拿不到钱，找谁都推，{n}个月了。",
            "老板跑了，我们的血汗钱怎么办？",
            "年底了钱还没给，到底有没有人管？",
            "说好的月底结账，拖到现在一分没见，家里等米下锅。",
            "跟着他干了大半年，一说钱就躲，电话拉黑了。",
        ),
        weight=6,
    ),
    Intent(
        "food",
        "other-food",
        {"*": "dept:市场监管"},
        ("食品安全问题", "饭馆卫生差", "超市卖过期食品", "吃了变质食品"),
        (
            "在{where}一家小饭馆吃饭后一家{n}口都拉肚子，怀疑食材不新鲜，请查一查。",
            "{where}的超市货架上有过期的牛奶和面包还在卖，已经过期{n}天了。",
            "{where}夜市的烧烤摊卫生很差，肉没有冷藏，苍蝇到处飞。",
            "学校门口小卖部卖三无辣条，孩子吃了肚子疼。",
        ),
        (
            "昨晚在外面吃了东西，今天全家上吐下泻。",
            "买的东西日期都过了还在卖，有没有人管？",
            "那家店的肉看着就不对劲，味道都变了。",
            "孩子喝了买来的奶就吐了，一看早就过期了。",
            "馆子后厨脏得要命，老鼠乱窜，还天天营业。",
        ),
        weight=5,
    ),
    Intent(
        "school",
        "other-school",
        {"*": "dept:教育"},
        ("孩子入学问题", "学校乱收费", "校车安全", "学位不够"),
        (
            "孩子今年该上一年级了，户口在{where}，学校说学位满了不收，请问该怎么办？",
            "{where}的学校让家长交{n}百元的资料费，也没有收据，这个合理吗？",
            "接送孩子的校车超载，一辆面包车坐了{n}多个学生，太危险了。",
            "学校老师在外面办补习班，要求学生参加，不去就不给好脸色。",
        ),
        (
            "娃上学的事情想问问，跑了几趟都没说清。",
            "开学又让交钱，不知道该不该交。",
            "孩子转学手续卡住了，老师让我们找上面。",
            "班上老师天天让买资料，一个月好几百，家里负担不起。",
            "娃离家太远没地方念书，早上五点就得出门。",
        ),
        weight=4,
    ),
    Intent(
        "clinic",
        "other-health",
        {"*": "dept:卫健"},
        ("村卫生室问题", "诊所乱收费", "卫生院服务态度", "医保报销"),
        (
            "{where}的村卫生室经常关门，老人头疼脑热找不到医生。",
            "在{where}一家私人诊所打了{n}天吊针花了一千多，怀疑乱收费。",
            "卫生院的医生态度很差，排队{n}个小时也没看上病。",
            "诊所的医生没有执业证，还给小孩输液，请卫健部门查一查。",
        ),
        (
            "看个病太难了，去了好几趟门都锁着。",
            "打针花了那么多钱，不知道对不对。",
            "村里的大夫一个月来不了几天，老人拿药要跑十几里。",
            "报销的单子交上去三个月了，一直说在审。",
        ),
        weight=4,
    ),
    Intent(
        "veteran",
        "help-veteran",
        {"*": "dept:民政"},
        ("退役军人优待", "退伍老兵生活困难", "优抚金发放"),
        (
            "我父亲是退伍老兵，今年{n}岁了，身体不好，想了解有什么优待政策。",
            "我是退役军人，优抚金这{n}个月没有到账，请帮忙查一下。",
            "{where}有位参战老兵一个人住，生活困难，房子漏雨。",
        ),
        (
            "当过兵的待遇怎么一直没下来？",
            "我爸年轻时扛过枪，现在老了没人问，该有的补助也没有。",
            "复员回来这些年，安置的事一直没说法。",
        ),
        weight=3,
    ),
    Intent(
        "disabled",
        "help-disabled",
        {"*": "dept:民政"},
        ("残疾人补贴", "残疾证办理", "轮椅申请"),
        (
            "孩子是{n}级残疾，想办残疾证和两项补贴，不知道需要什么材料。",
            "我家老人瘫痪在床，听说可以申请轮椅和护理补贴，请问找谁？",
            "{where}的残疾人补贴这几个月没发，问了村里也说不清。",
        ),
        (
            "家里人腿脚不方便，听说有补助，去哪办？",
            "孩子生下来就看不见，想问问国家有没有帮扶。",
            "我一只手没了干不了重活，能不能申请点补贴？",
        ),
        weight=3,
    ),
    Intent(
        "village_road",
        "infra-road",
        {"*": "@town"},
        ("村道坑洼", "通村路塌方", "村里道路损坏"),
        (
            "{where}通往村里的水泥路坑坑洼洼，一下雨全是泥，农用车过不去。",
            "{where}的村道被雨水冲塌了一段，{n}米左右，晚上很危险。",
            "村里到组上的路硬化后才{n}年就裂了，大坑一个接一个。",
        ),
        (
            "我们组那条路烂得没法走了，车一过全是泥。",
            "上山的那段路冲垮了，三轮车下不来，菜都烂在地里。",
            "村里的路年年说修年年不修，娃娃上学一脚泥。",
        ),
        places=("village",),
        weight=5,
    ),
    Intent(
        "county_road",
        "infra-road",
        {"*": "dept:交通"},
        ("县道路面破损", "国道边坡塌方", "公路护栏损坏"),
        (
            "{where}县道上有好几个大坑，货车一过就溅水，已经有摩托车摔倒了。",
            "310国道{where}段边坡有落石，{n}块大石头掉在路上。",
            "县城通往洛门的公路护栏被撞坏了{n}米，一直没人修。",
            "省道上的路面沉陷了，车速快的时候很危险。",
        ),
        (
            "大路上那个坑越来越大，大车一过就颠。",
            "去县城的那条公路一到下雨就塌，石头滚下来砸了车。",
            "公路边的栏杆撞坏了一大截，晚上开车心里发慌。",
        ),
        weight=4,
    ),
    Intent(
        "light",
        "infra-light",
        {"seat": "dept:城管", "community": "@town", "village": "@village"},
        ("路灯不亮", "路灯损坏", "街道路灯坏了", "路灯白天常亮"),
        (
            "{where}的路灯坏了一个多星期，晚上一片漆黑，老人出门不安全。",
            "{where}那排路灯有{n}盏不亮，路口特别黑，差点撞到人。",
            "{where}的路灯白天也亮着，晚上反而不亮，浪费电。",
            "{where}街边的路灯杆被车撞歪了，电线露在外面。",
        ),
        (
            "晚上回家黑乎乎的，灯又不亮了。",
            "门口那个灯坏了好久了，天一黑啥也看不见。",
            "天一黑这一段就跟没人管一样，伸手不见五指。",
        ),
        weight=6,
    ),
    Intent(
        "pipe_estate",
        "heat-property",
        {"*": "@property"},
        ("小区水管爆裂", "楼道水管漏水", "小区管道破裂"),
        (
            "{where}小区{n}号楼的水管爆了，楼道里全是水，物业电话打不通。",
            "我们小区地下车库的管道破裂，水漫到车位，物业说等几天再修。",
            "小区单元楼里的暖气管爆裂，{n}楼到一楼都在漏水。",
        ),
        (
            "楼里到处是水，管子坏了没人来修。",
            "楼上哗哗往下漏，车库里都能养鱼了。",
            "单元门口水漫金山，给物业说了三遍了。",
        ),
        places=("seat", "community"),
        weight=4,
    ),
    Intent(
        "pipe_street",
        "infra-water",
        {"*": "dept:水务"},
        ("街道供水管爆裂", "路边水管漏水", "自来水主管道破裂"),
        (
            "{where}大街上的自来水管爆了，水冲到路面上，附近{n}栋楼都停水了。",
            "{where}路口地下的供水管道漏水，水从地缝里往外冒了{n}天。",
            "{where}街上的消防栓漏水，一直哗哗地流。",
        ),
        (
            "路上一直冒水，流了好几天了，太浪费。",
            "马路中间往外喷水，一整条街都停水了。",
            "街边地底下一直往外渗水，路面都泡软了。",
        ),
        places=("seat", "community"),
        weight=3,
    ),
    Intent(
        "drain_street",
        "env-sewage",
        {"*": "dept:住建"},
        ("市政排水管堵塞", "雨水井冒水", "井盖缺失"),
        (
            "{where}街道的雨水井堵了，一下雨路面积水{n}十公分深。",
            "{where}的下水井盖丢了，晚上看不见，已经有人掉进去。",
            "{where}的市政污水管冒水，臭味很大，商户都没法开门。",
        ),
        (
            "一下雨街上就淹，臭水往外翻。",
            "路边那个井盖没了，黑洞洞的，差点把人掉进去。",
            "下水道的脏水漫上来，整条街都是臭味。",
        ),
        places=("seat", "community"),
        weight=3,
    ),
    Intent(
        "heating",
        "heat-cold",
        {"*": "dept:供热公司"},
        ("暖气不热", "供暖温度不达标", "供暖管网漏水"),
        (
            "家住{where}，暖气片摸着是凉的，室温只有{n}度，老人孩子受不了。",
            "{where}这一片今年供暖一直不热，交了暖气费却像没供一样。",
            "{where}的供热管网漏水，冒着热气，楼里暖气都不热了。",
        ),
        (
            "屋里冷得像冰窖，交了钱也不热。",
            "片子冰凉，晚上穿着棉袄睡觉。",
            "一冬天了屋里就没暖和过，老人冻感冒了。",
        ),
        places=("seat", "community"),
        weight=5,
    ),
    Intent(
        "property",
        "heat-property",
        {"*": "@property"},
        ("物业服务差", "小区电梯故障", "小区乱停车"),
        (
            "{where}小区物业不打扫楼道，门禁坏了{n}个月也不修。",
            "{where}小区的电梯这个月坏了{n}次，楼上老人下不了楼。",
            "小区里乱停车，消防通道被堵死了，物业不管。",
        ),
        (
            "交了物业费什么都不管，楼道脏得不行。",
            "电梯三天两头停，八楼的老人下不来。",
            "院子里车停得满满当当，救护车都进不来。",
        ),
        places=("seat", "community"),
        weight=4,
    ),
    Intent(
        "garbage",
        "env-garbage",
        {"*": "@village"},
        ("垃圾清运不及时", "垃圾乱倒", "垃圾桶破损"),
        (
            "{where}垃圾点的垃圾已经堆了{n}天没人清运，天热有异味。",
            "有人晚上在{where}河边乱倒垃圾，越堆越多。",
            "{where}路边的垃圾桶坏了，野狗翻得到处都是。",
        ),
        (
            "门口那一堆好几天了，臭得开不了窗。",
            "河沟里扔满了塑料袋和烂菜叶，一刮风到处飞。",
            "收垃圾的车好久没来了，苍蝇成群。",
        ),
        weight=5,
    ),
    Intent(
        "neighbour",
        "dispute-neighbour",
        {"*": "@village"},
        ("邻里纠纷", "宅基地纠纷", "楼上漏水纠纷"),
        (
            "{where}两户人家因为宅基地边界吵了{n}次，快打起来了，请村里调解。",
            "楼上卫生间漏水到我家，协商{n}次不给修，请社区出面调解。",
            "邻居把柴草堆在我家门口，说了也不听。",
        ),
        (
            "隔壁那家太欺负人了，说了多少次都不改。",
            "为了一堵墙和对门吵了半年，村里出个人说句公道话吧。",
            "楼上天天往下渗水，找他他就是不管，实在没办法了。",
        ),
        weight=5,
    ),
    Intent(
        "noise",
        "dispute-neighbour",
        {"*": "dept:派出所"},
        ("夜间噪音扰民", "深夜喧哗", "广场舞噪音"),
        (
            "{where}的烧烤店每天夜里{n}点还在喝酒划拳，吵得睡不着。",
            "{where}有人深夜在楼下吵架摔东西，已经好几晚了。",
            "{where}的歌厅半夜音响开得震天响，报了几次也没用。",
        ),
        (
            "晚上吵得根本睡不着，天天如此。",
            "半夜楼下有人喝酒闹事，还砸了车玻璃。",
            "凌晨两三点还有人在街上飙车放音乐。",
        ),
        places=("seat",),
        weight=2,
    ),
    Intent(
        "lowincome",
        "help-hardship",
        {"*": "@town"},
        ("低保申请", "临时救助", "因病致贫求助"),
        (
            "{where}有一户人家因病致贫，男人瘫在床上，想申请低保。",
            "家里突发火灾，房子烧坏了{n}间，希望得到临时救助。",
            "低保复核后被取消了，家里情况没变，想问问原因。",
        ),
        (
            "日子实在过不下去了，能不能给点帮助？",
            "男人病倒了，娃还在念书，家里一分钱收入都没有。",
            "房子塌了一间，一家人挤在一起，想申请点救助。",
        ),
        weight=4,
    ),
    Intent(
        "elderly",
        "help-elderly",
        {"*": "@village"},
        ("独居老人需要照顾", "老年助餐", "高龄补贴"),
        (
            "{where}有位{n}十多岁的独居老人腿脚不便，希望网格员定期上门看看。",
            "想问{where}附近有没有老年助餐点，怎么报名。",
            "我母亲今年满八十了，高龄补贴怎么申请？",
        ),
        (
            "老人一个人在家，没人管，怕出事。",
            "我妈八十多了，儿女都在外地，吃饭都成问题。",
            "隔壁大爷好几天没出门了，敲门也没人应。",
        ),
        weight=4,
    ),
    Intent(
        "license",
        "business-open",
        {"*": "dept:市场监管"},
        ("营业执照办理", "个体户注册", "食品经营许可"),
        (
            "想在{where}开一家小饭馆，营业执照和食品经营许可证怎么办？",
            "个体户营业执照要变更经营范围，需要带哪些材料？",
            "准备在{where}开个小超市，办执照要跑几个地方？",
        ),
        ("想开个店，手续不知道从哪办起。", "开门面要办的证太多了，能不能一次办完？"),
        weight=2,
    ),
    Intent(
        "land",
        "business-project",
        {"*": "dept:自然资源"},
        ("项目用地手续", "建设用地审批"),
        (
            "我们的冷链项目准备在{where}落地，用地手续办了{n}个月还没批下来。",
            "合作社想建一个蔬菜大棚配套用房，设施农业用地怎么报批？",
            "厂房扩建的土地手续在{where}卡了{n}个月，项目开不了工。",
        ),
        ("地的手续一直办不下来，投资的钱压着。",),
        weight=2,
    ),
    Intent(
        "dog",
        "other",
        {"*": "@village"},
        ("流浪狗伤人隐患", "流浪犬扰民"),
        (
            "{where}附近有{n}条流浪狗，晚上追人，孩子不敢出门。",
            "{where}的野狗越来越多，前几天咬伤了一个老人。",
            "{where}有人家养的大狗不拴绳，见人就扑。",
        ),
        ("那几条狗天天在路口，娃娃都被吓哭了。", "出门就被狗追，都不敢走那条路了。"),
        weight=2,
    ),
)

WHERES = {
    "seat": ["县城{c}", "{c}人民路", "{c}渭河大道", "{c}东大街", "{c}步行街", "{c}广场附近"],
    "community": ["{t}街道{c}", "{t}集镇上", "{t}{c}", "{t}镇上的主街"],
    "village": ["{v}{g}组", "{v}", "{t}{v}", "{v}村口"],
}
OPENERS = ["", "", "", "您好，", "你好，", "领导好，", "我是{v}的村民，", "反映个事：", "求助！"]
CLOSERS = [
    "",
    "",
    "希望尽快处理。",
    "麻烦尽快派人看看。",
    "谢谢！",
    "请相关部门管一管。",
    "拜托了。",
]
VAGUE_SHARE = 0.25


@dataclass(frozen=True)
class Sample:
    title: str
    description: str
    category: str
    route: str
    place: str
    intent: str
    vague: bool
    phrasing: int  # which way of saying it (``bodies``/``vague`` index): the bench holds some out


def compose(
    rng: random.Random, intent: Intent, place: str, names: dict[str, str], vague: bool
) -> Sample:
    """One resident's text for ``intent`` at ``place`` (``names``: t town, v village, c community)."""
    fill = {**names, "g": str(rng.randint(1, 12)), "n": str(rng.randint(2, 9))}
    where = rng.choice(WHERES[place]).format(**fill)
    if vague and intent.vague:
        phrasing = 100 + rng.randrange(len(intent.vague))
        body = intent.vague[phrasing - 100].format(n=fill["n"])
        title = body[:8].rstrip("，。！？")  # residents often just repeat the start
    else:
        vague = False
        phrasing = rng.randrange(len(intent.bodies))
        body = intent.bodies[phrasing].format(where=where, n=fill["n"])
        title = rng.choice(intent.titles)
    text = _vary(rng, rng.choice(OPENERS).format(**fill) + body + rng.choice(CLOSERS))
    return Sample(
        title=title,
        description=text,
        category=intent.category,
        route=intent.route(place),
        place=place,
        intent=intent.key,
        vague=vague,
        phrasing=phrasing,
    )


# the words residents swap for one another (each swap taken at random, per text)
SYNONYMS = (
    ("路灯", ("街灯", "路灯", "灯")),
    ("工资", ("工钱", "薪水", "工资")),
    ("拖欠", ("拖着不给", "欠着", "拖欠")),
    ("老板", ("老板", "包工头", "老板")),
    ("孩子", ("娃", "小孩", "孩子")),
    ("老人", ("老人", "老人家", "老年人")),
    ("水管", ("水管子", "管子", "水管")),
    ("晚上", ("夜里", "晚上", "天黑后")),
    ("小区", ("小区", "院子", "家属院")),
    ("没人", ("没有人", "没人", "一直没人")),
    ("很危险", ("太危险了", "很危险", "吓人")),
    ("怎么办", ("咋办", "怎么办", "该找谁")),
)


def _vary(rng: random.Random, text: str) -> str:
    for word, alternatives in SYNONYMS:
        if word in text and rng.random() < 0.5:
            text = text.replace(word, rng.choice(alternatives))
    return text


def samples(
    rng: random.Random, count: int, places: dict[str, list[dict[str, str]]]
) -> list[Sample]:
    """``count`` texts; ``places``: place kind -> name sets to draw from (kinds without any are
    skipped, so a county without communities still works)."""
    out = []
    intents = [i for i in INTENTS if any(places.get(p) for p in i.places)]
    weights = [i.weight for i in intents]
    for _n in range(count):
        intent = rng.choices(intents, weights)[0]
        place = rng.choice([p for p in intent.places if places.get(p)])
        names = rng.choice(places[place])
        out.append(compose(rng, intent, place, names, vague=rng.random() < VAGUE_SHARE))
    return out


def bench_places() -> dict[str, list[dict[str, str]]]:
    """Names of 武山县 places for the database-free bench."""
    return {
        "seat": [{"t": "城关镇", "c": c, "v": c} for c in ("东关社区", "南关社区", "阳光社区")],
        "community": [
            {"t": t, "c": c, "v": c}
            for t, c in (("洛门镇", "乐善社区"), ("鸳鸯镇", "鸳鸯社区"), ("滩歌镇", "滩歌社区"))
        ],
        "village": [
            {"t": t, "v": v, "c": v}
            for t, v in (
                ("四门镇", "尧儿村"),
                ("高楼镇", "斗底村"),
                ("龙台镇", "董庄村"),
                ("马力镇", "北顺村"),
                ("温泉镇", "大庄村"),
            )
        ],
    }
