from gaoqi.rules.engine import program

little_giant = program(
    "little_giant",
    label="专精特新“小巨人”企业认定",
    citation="《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件3；《优质中小企业梯度培育管理办法》（工信部企业〔2026〕2号）附件2",
)
