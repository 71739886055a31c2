from gaoqi.rules.engine import program

innovative_sme = program(
    "innovative_sme",
    label="创新型中小企业评价",
    citation="《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件1《创新型中小企业评价标准》",
)
