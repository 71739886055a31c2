from gaoqi.rules.engine import program

hnte = program(
    "hnte",
    label="高新技术企业认定",
    citation="《高新技术企业认定管理办法》（国科发火〔2016〕32号）第十一条",
)
