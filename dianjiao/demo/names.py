"""Name lists for the demo township. Fictional people; plausible for a herding region of Altay.

Kazakh (and Uyghur) names are written the usual Chinese way: given name, a middle dot, then the
father's name (努尔兰·叶尔肯). Han and Hui names are surname + one or two characters.
"""

COUNTY = ("福海县", "654323")
TOWNSHIP = "乌伦古乡"
STATION = "乌伦古乡电教站"

# (name, operator username, pastoral?) in sort order. 红星村 is first.
VILLAGES = [
    ("红星村", "hongxing", False),
    ("团结村", "tuanjie", False),
    ("胜利村", "shengli", False),
    ("友谊村", "youyi", False),
    ("幸福村", "xingfu", False),
    ("光明村", "guangming", False),
    ("新华村", "xinhua", False),
    ("永丰村", "yongfeng", False),
    ("阿克达拉村", "akedala", True),
    ("喀拉玛盖村", "karamagai", True),
    ("阔克阿尕什村", "kuokeagashi", True),
    ("齐干套克村", "qigantaoke", True),
]

# Seasonal pastures: (seasonal_place, address). A pastoral village's mobile points follow the
# herds to these; each point is named for its pasture (乌伦古河春秋牧场流动播放点).
PASTURES = [
    ("乌伦古河春秋牧场", "乌伦古河北岸春秋草场，牧道旁集中毡房"),
    ("额尔齐斯河冬牧场", "额尔齐斯河南岸冬窝子牧民定居点"),
    ("阿尔泰山夏牧场", "阿尔泰山南麓夏牧场毡房群"),
    ("萨尔布拉克春秋牧场", "萨尔布拉克牧道接羔点"),
    ("喀拉苏冬牧场", "喀拉苏冬窝子牧民定居点"),
]

HAN_SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙胡朱高林何郭罗梁宋郑谢韩唐冯于董萧程曹袁邓许"
    "傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱"
)
HUI_SURNAMES = "马马马马丁杨韩穆哈白冶纳海沙"

HAN_MALE_GIVEN = [
    "建国",
    "建军",
    "国强",
    "志刚",
    "卫东",
    "红军",
    "振华",
    "德明",
    "玉林",
    "永福",
    "长青",
    "保国",
    "学文",
    "宏伟",
    "海涛",
    "立新",
    "文斌",
    "志勇",
    "俊峰",
    "明亮",
    "春生",
    "福林",
    "新民",
    "庆丰",
    "伟",
    "强",
    "军",
    "勇",
    "斌",
    "磊",
    "涛",
    "杰",
    "鹏",
    "浩",
    "超",
    "亮",
    "刚",
    "峰",
    "平",
    "辉",
    "国庆",
    "金山",
    "树林",
    "玉山",
    "宝林",
    "成龙",
    "子豪",
    "宇航",
    "家乐",
    "浩然",
    "晨阳",
    "天佑",
]
HAN_FEMALE_GIVEN = [
    "秀英",
    "桂兰",
    "玉兰",
    "秀兰",
    "凤英",
    "淑珍",
    "桂芳",
    "玉梅",
    "春梅",
    "红梅",
    "丽华",
    "建华",
    "海燕",
    "小燕",
    "丽娟",
    "晓红",
    "雪梅",
    "彩霞",
    "艳",
    "敏",
    "静",
    "丽",
    "芳",
    "娟",
    "霞",
    "琴",
    "婷",
    "慧",
    "洁",
    "燕",
    "萍",
    "玲",
    "雪",
    "晶",
    "佳怡",
    "欣怡",
    "雨涵",
    "梦瑶",
    "文静",
    "思雨",
]

KAZAKH_MALE = [
    "努尔兰",
    "叶尔波拉提",
    "别克",
    "哈力木",
    "叶尔肯",
    "加帕尔",
    "吾拉力汗",
    "阿依丁",
    "巴合提",
    "达吾列提",
    "叶尔江",
    "努尔别克",
    "库尔曼",
    "阿斯哈尔",
    "马合沙提",
    "吐尔逊",
    "胡安德克",
    "叶尔兰",
    "阿曼",
    "哈德尔",
    "赛力克",
    "达尼亚尔",
    "加尔肯",
    "木合亚提",
    "叶森",
    "塔斯肯",
    "别尔德汗",
    "阿合买提",
    "努尔波拉提",
    "哈那提",
    "阿布都拉",
    "塔拉甫",
    "居马汗",
    "布兰",
    "托列根",
    "杰恩斯",
    "卡肯",
    "叶尔克西",
    "吾斯曼",
    "哈布都拉",
    "马那提",
    "阿达力别克",
]
KAZAKH_FEMALE = [
    "阿依古丽",
    "古丽米拉",
    "古丽娜尔",
    "阿依达娜",
    "沙吾列",
    "玛依拉",
    "古丽巴哈尔",
    "阿依努尔",
    "娜孜古丽",
    "加娜尔",
    "巴合提古丽",
    "卡丽玛",
    "阿娜尔古丽",
    "迪娜",
    "热依拉",
    "孜亚达",
    "阿力玛",
    "叶尔克古丽",
    "库拉西",
    "哈丽达",
    "加米拉",
    "阿克托勒",
    "努尔古丽",
    "莎拉",
    "阿依江",
    "古丽孜拉",
    "巴丽江",
    "哈依霞",
]
# Fathers' names (the part after the dot): men's given names, including the -汗/-别克 forms.
KAZAKH_FATHERS = KAZAKH_MALE + [
    "木拉提",
    "哈斯木汗",
    "吐尔洪",
    "加依达尔",
    "巴依卡",
    "叶尔肯别克",
    "阿吾提",
    "库瓦特",
    "沙依拉汗",
    "努合曼",
    "阿勒泰",
    "别克吐尔逊",
]

UYGHUR_MALE = ["艾力", "买买提", "阿不都", "艾尔肯", "吐尔洪", "热合曼", "亚森", "依明"]
UYGHUR_FEMALE = ["阿依努尔", "古丽娜", "热依汗古丽", "帕提古丽", "米热古丽", "再努尔"]
UYGHUR_FATHERS = ["买买提", "吐尔逊", "阿不力孜", "艾山", "努尔", "玉素甫", "卡德尔", "尼亚孜"]

MONGOL_MALE = ["巴特尔", "额尔敦", "吉日格勒", "那顺", "宝音", "乌力吉", "敖其尔", "孟克"]
MONGOL_FEMALE = ["其木格", "萨仁", "乌兰", "娜仁", "斯琴", "托娅", "高娃", "图雅"]

# Village branch secretaries, township staff and station officers (fixed, not drawn).
SECRETARIES = {
    "红星村": "李建国",
    "团结村": "王德明",
    "胜利村": "马振华",
    "友谊村": "张玉兰",
    "幸福村": "刘志刚",
    "光明村": "陈卫东",
    "新华村": "赵春生",
    "永丰村": "杨长青",
    "阿克达拉村": "努尔兰·叶尔肯",
    "喀拉玛盖村": "叶尔波拉提·吾拉力汗",
    "阔克阿尕什村": "巴合提·加帕尔",
    "齐干套克村": "阿依古丽·哈力木",
}
# The village 电教员 who runs the fixed classroom (and logs in as that village's operator).
OPERATORS = {
    "红星村": "刘海燕",
    "团结村": "孙立新",
    "胜利村": "马晓红",
    "友谊村": "周文斌",
    "幸福村": "吴丽娟",
    "光明村": "郭明亮",
    "新华村": "徐建华",
    "永丰村": "何俊峰",
    "阿克达拉村": "达吾列提·别克",
    "喀拉玛盖村": "古丽米拉·加帕尔",
    "阔克阿尕什村": "赛力克·库尔曼",
    "齐干套克村": "哈那提·吐尔逊",
}
STAFF = {
    "zhanzhang": "王志勇",  # 电教站站长
    "shuji": "阿斯哈尔·别克",  # 乡党委副书记（分管党建）
    "jiancha": "韩文静",  # 县委组织部检查员
    "xianli": "高宏伟",  # 县委组织部电教中心
    "admin": "系统管理员",
}
