from datetime import date

from gaoqi.rules.engine import program

rd_super_deduction = program(
    "rd_super_deduction",
    label="研发费用税前加计扣除",
    citation="《财政部 国家税务总局 科技部关于完善研究开发费用税前加计扣除政策的通知》（财税〔2015〕119号）；"
    "财政部 税务总局公告2023年第7号",
)

FIRST_EVALUATION = date(2017, 1, 1)
"""The program judges the latest accounting year (year 3, the year before the evaluation date). 财税〔2015〕119号
applies from tax year 2016, so its criteria are the law for evaluation dates from 2017-01-01; earlier dates judge a
year this program does not encode."""
