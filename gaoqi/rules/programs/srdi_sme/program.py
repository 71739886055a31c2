from gaoqi.rules.engine import program

srdi_sme = program(
    "srdi_sme",
    label="专精特新中小企业认定",
    citation="《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件2；《优质中小企业梯度培育管理办法》（工信部企业〔2026〕2号）附件1",
)
