from gaoqi.rules.engine import program

tsme = program(
    "tsme",
    label="科技型中小企业评价",
    citation="《科技型中小企业评价办法》（国科发政〔2017〕115号）第六条至第九条",
)
