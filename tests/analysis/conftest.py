"""Fixtures for the analysis tests: small feedback sets with known topics, several languages."""

from __future__ import annotations

import pytest

TRANSPORT = [
    "The bus is always late in the morning",
    "Buses come too rarely on weekends",
    "I wait forty minutes for the bus every day",
    "The bus to the hospital stopped running",
    "Bus drivers skip our stop when the bus is full",
    "We need more buses at rush hour",
    "The bus route to the school was cancelled",
    "Bus fares went up again this year",
    "The night bus never comes on time",
    "The bus stop has no shelter from the rain",
    "More frequent buses to downtown please",
    "The bus schedule is never respected",
    "Late buses make me late for work",
    "Our bus line was cut and now I walk an hour",
    "Buses are overcrowded and late",
    "The bus app shows wrong arrival times",
    "Please add a bus route to the new clinic",
    "The bus is too expensive for students",
    "Buses should run later at night",
    "The bus takes twice as long as driving",
]
HOUSING = [
    "The rent is too high for families here",
    "My landlord raised the rent by twenty percent",
    "We cannot afford rent and food anymore",
    "Rent increases are pushing neighbours out",
    "Affordable rent apartments are impossible to find",
    "Our landlord refuses to fix the heating and still raises rent",
    "Rent takes more than half of my salary",
    "Rent control would help our families stay",
    "I was evicted because I could not pay the rent increase",
    "Landlords ask for three months of rent as deposit",
    "The rent keeps going up but wages do not",
    "Too many families share one apartment because rent is high",
    "Young people leave because rent is unaffordable",
    "Rent assistance has a waiting list of two years",
    "The apartment has mold and the landlord ignores it",
    "High rent forces us to move far from work",
    "Rent for a small apartment doubled in five years",
    "We need affordable rent for seniors",
    "Rent is the biggest worry for my family",
    "Landlords refuse tenants with children",
]
PARKS = [
    "The park playground equipment is broken",
    "Children need a safe park nearby",
    "The park has no lights at night",
    "Please clean the park and empty the bins",
    "The park swings have been broken for months",
    "We need more trees and benches in the park",
    "The park toilets are always closed",
    "Kids have nowhere to play since the park closed",
    "The park is full of litter on weekends",
    "A splash pad in the park would help children in summer",
    "The basketball court in the park needs new hoops",
    "Dogs run loose in the park playground",
    "The park paths are too dark to walk in the evening",
    "More shade in the park for hot days",
    "The park fountain has not worked for years",
    "Teenagers need a skate park",
    "The park surface is dangerous for toddlers",
    "Our park needs a community garden",
    "The park grass is never mowed",
    "Benches in the park are broken",
]

ARABIC_TRANSPORT = [
    "الحافلة تتأخر كل صباح",
    "الحافلات قليلة جدا في عطلة نهاية الأسبوع",
    "أنتظر الحافلة أربعين دقيقة كل يوم",
    "الحافلة مزدحمة دائما في الصباح",
    "نحتاج حافلات أكثر في ساعة الذروة",
    "توقفت الحافلة إلى المستشفى",
    "سائق الحافلة لا يتوقف في محطتنا",
    "أجرة الحافلة ارتفعت كثيرا",
    "الحافلة الليلية لا تأتي في موعدها",
    "محطة الحافلة بدون مظلة من المطر",
    "نريد حافلة إلى العيادة الجديدة",
    "الحافلات متأخرة ومزدحمة",
]
ARABIC_HOUSING = [
    "الإيجار مرتفع جدا للعائلات",
    "رفع المالك الإيجار مرة أخرى",
    "لا نستطيع دفع الإيجار والطعام",
    "الإيجار يأخذ نصف راتبي",
    "الشقق ذات الإيجار المعقول غير موجودة",
    "المالك لا يصلح التدفئة ويرفع الإيجار",
    "طردنا لأننا لم ندفع زيادة الإيجار",
    "الإيجار يرتفع والأجور لا ترتفع",
    "نحتاج إيجار معقول لكبار السن",
    "عائلات كثيرة في شقة واحدة بسبب الإيجار",
    "المالك يطلب إيجار ثلاثة أشهر مقدما",
    "الإيجار هو أكبر هم لعائلتي",
]

CHINESE_TRANSPORT = [
    "公交车每天早上都迟到",
    "周末公交车太少了",
    "我每天等公交车四十分钟",
    "公交车总是太挤",
    "高峰时间需要更多公交车",
    "去医院的公交车停运了",
    "公交车司机不在我们站停车",
    "公交车票价又涨了",
    "夜班公交车从来不准时",
    "公交车站没有遮雨棚",
    "希望增加到新诊所的公交车线路",
    "公交车又慢又挤",
]
CHINESE_HOUSING = [
    "房租太贵了，家庭负担不起",
    "房东又涨房租了",
    "我们付不起房租和饭钱",
    "房租占了我一半的工资",
    "找不到便宜的房租公寓",
    "房东不修暖气还涨房租",
    "因为付不起房租被赶出去了",
    "房租一直涨，工资不涨",
    "老人需要便宜的房租",
    "因为房租太高，几家人住一套公寓",
    "房东要求先付三个月房租",
    "房租是我家最大的担心",
]


@pytest.fixture
def english_feedback() -> tuple[list[str], list[int]]:
    """60 short answers in three clear topics, interleaved, with their topic numbers."""
    texts, topics = [], []
    for i in range(20):
        for topic, group in enumerate((TRANSPORT, HOUSING, PARKS)):
            texts.append(group[i])
            topics.append(topic)
    return texts, topics


@pytest.fixture
def arabic_feedback() -> tuple[list[str], list[int]]:
    texts = [t for pair in zip(ARABIC_TRANSPORT, ARABIC_HOUSING, strict=True) for t in pair]
    return texts, [0, 1] * len(ARABIC_TRANSPORT)


@pytest.fixture
def chinese_feedback() -> tuple[list[str], list[int]]:
    texts = [t for pair in zip(CHINESE_TRANSPORT, CHINESE_HOUSING, strict=True) for t in pair]
    return texts, [0, 1] * len(CHINESE_TRANSPORT)


def purity(labels: list[int], topics: list[int]) -> float:
    """Share of items whose theme's majority topic is their own topic."""
    from collections import Counter

    by_theme: dict[int, Counter[int]] = {}
    for label, topic in zip(labels, topics, strict=True):
        by_theme.setdefault(label, Counter())[topic] += 1
    return sum(c.most_common(1)[0][1] for c in by_theme.values()) / len(labels)


@pytest.fixture
def purity_of():
    return purity
