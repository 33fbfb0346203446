"""Sentence boundaries on news-style text, both languages.

Every case is written for this file (no corpus text). Each expected list is
the segmentation a translator would want in a CAT tool: sentence ends inside
a multi-sentence quotation are boundaries (the SRX convention), a closing
quote or bracket stays with the sentence it closes, and abbreviations, times,
initials, list markers, citations, decimals and addresses never end one by
themselves.
"""

from __future__ import annotations

import pytest

from aligner.split import split_sentences


def _check(text: str, lang: str, expected: list[str]) -> None:
    sentences = split_sentences(text, lang)
    assert sentences == expected
    assert "".join(text.split()) == "".join("".join(sentences).split())  # nothing lost


# --------------------------------------------------------------- en: quotes

EN_QUOTES = [
    (
        'A spokesman said: "Safety was always the first concern. The line will reopen '
        'next week. Nobody was hurt."',
        [
            'A spokesman said: "Safety was always the first concern.',
            "The line will reopen next week.",
            'Nobody was hurt."',
        ],
    ),
    (
        "The mayor said: “We are ready. The pumps are running.” Residents stayed calm.",
        ["The mayor said: “We are ready.", "The pumps are running.”", "Residents stayed calm."],
    ),
    (
        "She wrote, ‘Come home. The harvest is in.’ He never answered.",
        ["She wrote, ‘Come home.", "The harvest is in.’", "He never answered."],
    ),
    (
        "Fans chanted «We want more! Play again!» until midnight.",
        ["Fans chanted «We want more!", "Play again!» until midnight."],
    ),
    (
        '"We lost," the coach said. "The other team was better."',
        ['"We lost," the coach said.', '"The other team was better."'],
    ),
    (
        '"Is it over?" asked a reporter. Nobody replied.',
        ['"Is it over?" asked a reporter.', "Nobody replied."],
    ),
    (
        '"Is it over?" Ms. Grant asked. Nobody replied.',
        ['"Is it over?" Ms. Grant asked.', "Nobody replied."],
    ),
    ('"We won." Coach Lee said nothing more.', None),
    ('"Run!" The crowd scattered.', ['"Run!"', "The crowd scattered."]),
    ("'Why?' Smith asked. Nobody replied.", ["'Why?' Smith asked.", "Nobody replied."]),
    (
        "‘We are ready. The pumps are running.’ Residents stayed calm.",
        ["‘We are ready.", "The pumps are running.’", "Residents stayed calm."],
    ),
    (
        "The players’ union said no. 'It's over,' he said. 'We lost.'",
        ["The players’ union said no.", "'It's over,' he said.", "'We lost.'"],
    ),
    (
        'He said "go." John left the room.',
        ['He said "go."', "John left the room."],
    ),
    (
        "The ferry was late (the captain blamed the fog). It docked at noon.",
        ["The ferry was late (the captain blamed the fog).", "It docked at noon."],
    ),
    (
        "The ferry was late. (The captain blamed the fog.) It docked at noon.",
        ["The ferry was late.", "(The captain blamed the fog.)", "It docked at noon."],
    ),
    (
        "The rain stopped . ” The parade began.",
        ["The rain stopped . ”", "The parade began."],
    ),
    (
        'The paper called it "a triumph of hope over the stairways [...]" (Ortega 12). '
        "Critics disagreed.",
        [
            'The paper called it "a triumph of hope over the stairways [...]" (Ortega 12).',
            "Critics disagreed.",
        ],
    ),
    (
        'The report found "no evidence of fraud." (Board minutes, p. 4). It was signed.',
        [
            'The report found "no evidence of fraud." (Board minutes, p. 4).',
            "It was signed.",
        ],
    ),
]


# --------------------------------------------------------- en: abbreviations

EN_ABBREVIATIONS = [
    (
        "He left at 6 P.M. Mr. Smith then went home.",
        ["He left at 6 P.M.", "Mr. Smith then went home."],
    ),
    (
        "The vote closes at 8 p.m. Polls open again tomorrow.",
        ["The vote closes at 8 p.m.", "Polls open again tomorrow."],
    ),
    ("The hearing is at 10 a.m. Tuesday in Room 4.", None),
    ("The launch is set for 9:30 a.m. EDT on Friday.", None),
    ("Markets open at 9 a.m. Hong Kong time.", None),
    ("Kickoff was moved to 3 p.m. Saturday's game is sold out.", None),
    ("We spoke to Dr. Patel and Mrs. Okafor.", None),
    ("The shop is on St. Mary Street near Mt. Hood.", None),
    ("Gen. Ruiz and Lt. Col. Baker met Gov. Hale on Monday.", None),
    ("The seat was held by then-Rep. Dana Ortiz until 2012.", None),
    (
        "Sen. Maria Lopez, D-Ariz., voted no. The bill failed.",
        ["Sen. Maria Lopez, D-Ariz., voted no.", "The bill failed."],
    ),
    (
        "The plant is in Springfield, Mass. Officials said it would close.",
        ["The plant is in Springfield, Mass.", "Officials said it would close."],
    ),
    ("The firm moved from Dover, Del. to Austin, Tex. in 2020.", None),
    (
        "The plant is in Springfield, Mass. The owners want to sell it.",
        ["The plant is in Springfield, Mass.", "The owners want to sell it."],
    ),
    (
        "Shares of Acme Inc. rose 3.5 percent. Rivals fell.",
        ["Shares of Acme Inc. rose 3.5 percent.", "Rivals fell."],
    ),
    (
        "The deal went to Northwind Corp. The price was not disclosed.",
        ["The deal went to Northwind Corp.", "The price was not disclosed."],
    ),
    (
        "The U.S. Navy sent two ships. The U.N. asked for calm.",
        ["The U.S. Navy sent two ships.", "The U.N. asked for calm."],
    ),
    (
        "Talks were held in Washington, D.C. The next round is in May.",
        ["Talks were held in Washington, D.C.", "The next round is in May."],
    ),
    ("The study by Chen et al. found no link.", None),
    ("Bring tools, e.g. hammers and saws, i.e. the basics.", None),
    (
        "They sold fruit, bread, etc. The stall closed early.",
        ["They sold fruit, bread, etc.", "The stall closed early."],
    ),
    ("He lives at No. 12 and works at Gate No. 3.", None),
    (
        "The answer was no. Officials would not explain.",
        ["The answer was no.", "Officials would not explain."],
    ),
    (
        "He argued with the ref. The match went on.",
        ["He argued with the ref.", "The match went on."],
    ),
    ("The guard sat. Nobody moved.", ["The guard sat.", "Nobody moved."]),
    ("The court met on Jan. 6 and again on Sept. 14.", None),
    ("See Fig. 2 and pp. 10-12 for details.", None),
    ("The pole is 12 ft. tall and weighs 40 lb. in total.", None),
    (
        "Yahoo! Inc. reported results. Its shares rose.",
        ["Yahoo! Inc. reported results.", "Its shares rose."],
    ),
    (
        "Martin Luther King Jr. The name is on the street sign.",
        ["Martin Luther King Jr.", "The name is on the street sign."],
    ),
    # A personal title after a date or company abbreviation opens the next sentence...
    (
        "The bill passed 10-2 on Wed. Gov. Newsom signed it the next day.",
        ["The bill passed 10-2 on Wed.", "Gov. Newsom signed it the next day."],
    ),
    (
        "The deal was agreed with Acme Corp. Mr. Okafor called it fair.",
        ["The deal was agreed with Acme Corp.", "Mr. Okafor called it fair."],
    ),
    # ...but after a state or a dotted acronym it is inside the sentence (AP style).
    ("The measure was signed by Calif. Gov. Gavin Newsom on Friday.", None),
    ("A letter from U.S. Sen. Maria Lopez reached the agency.", None),
    # "St." after a street name is Street and may end a sentence; before a name it is Saint.
    (
        "The protest moved to Downing St. The police closed the road.",
        ["The protest moved to Downing St.", "The police closed the road."],
    ),
    (
        "They met at Fifth Ave. and 42nd St. It was noon.",
        ["They met at Fifth Ave. and 42nd St.", "It was noon."],
    ),
    ("She read the Wall St. Journal and flew to St. Louis on Monday.", None),
    ("Mount St. Helens erupted in 1980.", None),
    # after a dotted acronym a number goes on (news style spells out a sentence-opening number)
    ("The bill, H.R. 1, passed the House.", None),
    ("The U.S. 10-year Treasury yield rose to 4.2 percent.", None),
    ("He moved to the U.S. He was 20.", ["He moved to the U.S.", "He was 20."]),
    # a clipped title before a lower-case word is no sentence end
    ("He joined in 2010 as an asst. coach and left in 2014.", None),
    # "bn" after an amount is a unit: a lower-case word after it goes on.
    (
        "Sales reached $1.2 bn. in 2023. Profit fell.",
        ["Sales reached $1.2 bn. in 2023.", "Profit fell."],
    ),
]


# ----------------------------------------------------- en: initials, lists

EN_INITIALS_LISTS = [
    ("N. Wayne Hale Jr. said the launch was safe.", None),
    ("The shuttle chief N. Wayne Hale Jr. said it was safe.", None),
    ("Novelist E. L. Moreno signed copies.", None),
    ("President George W. Bush spoke first.", None),
    (
        "The vitamin list ends at K. Doctors say it is enough.",
        ["The vitamin list ends at K.", "Doctors say it is enough."],
    ),
    ("1.) The first item 2.) The second item", None),
    ("1.) The first item. 2.) The second item.", ["1.) The first item.", "2.) The second item."]),
    ("The rules: a. Arrive early b. Bring a pen c. Stay quiet", None),
    ("Steps: 1. Open the lid 2. Pour the water 3. Wait", None),
    ("1. Open the lid.\n2. Pour the water.", ["1. Open the lid.", "2. Pour the water."]),
    (
        "It was printed on July 9. A copy reached the port on Aug. 10. The rest were lost.",
        ["It was printed on July 9.", "A copy reached the port on Aug. 10.", "The rest were lost."],
    ),
    (
        "The team finished 2. The coach was pleased.",
        ["The team finished 2.", "The coach was pleased."],
    ),
]


# ------------------------------------------- en: ellipses, numbers, addresses

EN_ELLIPSES_NUMBERS = [
    ("the thing is . . . I didn't mean it.", None),
    ("We waited... and waited some more.", None),
    ("We waited… and waited some more.", None),
    ("We waited... The bus never came.", ["We waited...", "The bus never came."]),
    ('"... The results are clear," she said.', None),
    ("Counts went from 1... 10 within a week.", None),
    (
        "Inflation was 2.4 percent. It rose to 3.1 in May.",
        ["Inflation was 2.4 percent.", "It rose to 3.1 in May."],
    ),
    (
        "The fee is $1,250.50 per year. Students pay less.",
        ["The fee is $1,250.50 per year.", "Students pay less."],
    ),
    ("Version 3.2.1 ships today. Update now.", ["Version 3.2.1 ships today.", "Update now."]),
    (
        "Read more at https://news.example.org/a/b.html. Write to desk@example.org. Thanks.",
        [
            "Read more at https://news.example.org/a/b.html.",
            "Write to desk@example.org.",
            "Thanks.",
        ],
    ),
    (
        "Is it safe? Officials say yes! The road is open.",
        ["Is it safe?", "Officials say yes!", "The road is open."],
    ),
    (
        "He prayed for contemplation. the cave is still there.",
        ["He prayed for contemplation.", "the cave is still there."],
    ),
    ("The clock struck 12. Then silence.", ["The clock struck 12.", "Then silence."]),
    (
        "(The first test failed. The second passed.) Engineers were relieved.",
        ["(The first test failed.", "The second passed.)", "Engineers were relieved."],
    ),
    ("It is made by Acme Corp. and sold in the U.K. and Ireland.", None),
    ("They met at 10 a.m. Friday, Oct. 2.", None),
    (
        "Prices rose in the U.S. Officials blamed fuel.",
        ["Prices rose in the U.S.", "Officials blamed fuel."],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), EN_QUOTES + EN_ABBREVIATIONS + EN_INITIALS_LISTS + EN_ELLIPSES_NUMBERS
)
def test_english_news(text: str, expected: list[str] | None) -> None:
    _check(text, "en", expected if expected is not None else [text])


# --------------------------------------------------------------- zh: quotes

ZH_QUOTES = [
    (
        "他说：“这是一个重大变化。我们需要时间来描述它。”",
        ["他说：“这是一个重大变化。", "我们需要时间来描述它。”"],
    ),
    (
        "他说：“……这是一个重大变化。……我们还无法描述它。”",
        ["他说：“……这是一个重大变化。", "……我们还无法描述它。”"],
    ),
    (
        "这是一个重大变化 。 ”不过他承认，问题仍然存在。",
        ["这是一个重大变化 。 ”", "不过他承认，问题仍然存在。"],
    ),
    (
        "她表示：「比赛很艰难。我们尽力了。」球队明天回国。",
        ["她表示：「比赛很艰难。", "我们尽力了。」", "球队明天回国。"],
    ),
    (
        "他写道：『天气很冷。路上结冰了。』大家只好等待。",
        ["他写道：『天气很冷。", "路上结冰了。』", "大家只好等待。"],
    ),
    (
        "老师说：‘明天考试。别迟到！’学生们都点头。",
        ["老师说：‘明天考试。", "别迟到！’", "学生们都点头。"],
    ),
    (
        "会议推迟了（原因是暴雨。交通中断了。）下周再开。",
        ["会议推迟了（原因是暴雨。", "交通中断了。）", "下周再开。"],
    ),
    (
        "“你们准备好了吗？”教练问道。队员们齐声回答。",
        ["“你们准备好了吗？”教练问道。", "队员们齐声回答。"],
    ),
    ("“我们赢了！”他说。全场欢呼。", ["“我们赢了！”他说。", "全场欢呼。"]),
    ("“大家排练时常常哭。”剧中扮演母亲的演员王丽动情地说。", None),
    (
        "“我们会继续投资。”他表示，明年的预算将增加一成。",
        None,
    ),
    (
        "“比赛很艰难。”教练说：“下一场我们会更好。”",
        ["“比赛很艰难。”", "教练说：“下一场我们会更好。”"],
    ),
    ("她喊了一声“快跑！”然后冲了出去。", None),
    ("这就是所谓“奇迹！”的由来。", None),
    ("他最喜欢的书是《再见。你好！》。", None),
    (
        "记者问：“还会回来吗？”他笑了笑，没有回答。",
        ["记者问：“还会回来吗？”", "他笑了笑，没有回答。"],
    ),
    ('他说："我们走吧。你来吗？"然后离开了。', ['他说："我们走吧。', '你来吗？"然后离开了。']),
    ("他问：“为什么？”“因为……”她回答。", ["他问：“为什么？”", "“因为……”她回答。"]),
    ("他在网上写道：“We will win. Trust me.”随后删除了该帖。", None),
    # "随后" continues the quoting sentence like "随即" and "然后"
    ("他说：“我再想想。”随后离开了会场。", None),
    # a negated verb attributes nothing: the clause after the quote is its own sentence
    (
        "他问：“你们什么时候来？”对方没有回答。",
        ["他问：“你们什么时候来？”", "对方没有回答。"],
    ),
    ("“结果如何？”他没说。", ["“结果如何？”", "他没说。"]),
    # a quoted English sentence ends the Chinese one it closes
    (
        '据路透社报道，"The deal is done." 双方已签署协议。',
        ['据路透社报道，"The deal is done."', "双方已签署协议。"],
    ),
    ('他说"OK."然后走了。', None),
    # Traditional text is split as written: the same rules in both scripts
    ("「你來嗎？」他問。", None),
    (
        "他說：「我們會繼續努力。相信未來會更好。」隨後離開了會場。",
        ["他說：「我們會繼續努力。", "相信未來會更好。」隨後離開了會場。"],
    ),
    ("「我們贏了！」他說。全場歡呼。", ["「我們贏了！」他說。", "全場歡呼。"]),
    ("「結果如何？」他沒說。", ["「結果如何？」", "他沒說。"]),
    ("雅虎(Yahoo!)公司宣布裁员。", None),
    ("“你会来吗？”一位不愿透露姓名的官员说。", None),
    (
        "报告指出：“（一）经济增长。（二）就业稳定。”",
        ["报告指出：“（一）经济增长。", "（二）就业稳定。”"],
    ),
]


# ---------------------------------------------------------- zh: punctuation

ZH_PUNCTUATION = [
    ("今天下雨；明天转晴。", None),
    ("他犹豫了很久……最后还是签了字。", None),
    ("他只说了一句：“我不知道……”大家都沉默了。", ["他只说了一句：“我不知道……”", "大家都沉默了。"]),
    ("苹果、香蕉、葡萄……应有尽有。", None),
    ("增长率为3.5%。去年是2.8%。", ["增长率为3.5%。", "去年是2.8%。"]),
    (
        "签约仪式在２０２４．０２．０４举行。双方都很满意。",
        ["签约仪式在２０２４．０２．０４举行。", "双方都很满意。"],
    ),
    ("价格上涨了１．５个百分点。", None),
    ("1．会议开始。2．会议结束。", ["1．会议开始。", "2．会议结束。"]),
    ("一、会议开始。二、会议结束。", ["一、会议开始。", "二、会议结束。"]),
    ("他来了. 她走了.", ["他来了.", "她走了."]),
    (
        "新华社北京6月3日电（记者王明）会议今天闭幕。会议通过了决议。",
        ["新华社北京6月3日电（记者王明）会议今天闭幕。", "会议通过了决议。"],
    ),
    (
        "详情请访问www.example.cn或发邮件至news@example.cn。谢谢。",
        ["详情请访问www.example.cn或发邮件至news@example.cn。", "谢谢。"],
    ),
    ("真的吗？！他不敢相信。", ["真的吗？！", "他不敢相信。"]),
    ("比赛于下午3:30开始。观众很多。", ["比赛于下午3:30开始。", "观众很多。"]),
    ("他说这是v2.0版本!大家都很期待。", ["他说这是v2.0版本!", "大家都很期待。"]),
    ("公司发布了新品。（完）", ["公司发布了新品。", "（完）"]),
    ("他来自美国（U.S.）。现在住在北京。", ["他来自美国（U.S.）。", "现在住在北京。"]),
]


@pytest.mark.parametrize(("text", "expected"), ZH_QUOTES + ZH_PUNCTUATION)
def test_chinese_news(text: str, expected: list[str] | None) -> None:
    _check(text, "zh", expected if expected is not None else [text])


def test_semicolon_stays_inside_the_sentence() -> None:
    assert split_sentences("女人做饭；男人干活。孩子们上学。", "zh") == [
        "女人做饭；男人干活。",
        "孩子们上学。",
    ]


def test_quotation_split_is_linear_on_a_long_line() -> None:
    import time

    text = '他说：“我们走吧。你来吗？”然后离开。She said: "Go. Now." ' * 4000
    started = time.perf_counter()
    sentences = split_sentences(text, "en") + split_sentences(text, "zh")
    assert time.perf_counter() - started < 10  # about 0.5 s on an idle machine
    assert len(sentences) > 4000
