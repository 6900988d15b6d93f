//! Synthetic corpus for benchmarks: N offices × Y years of data in the shape
//! of the sample (a register that closes, funds by batch and category that
//! add up, ~80 projects, a dozen fields of work with Chinese narrative and
//! figures, problems and a plan). Every figure is consistent, so the corpus
//! builds without findings.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- <out dir> <offices> [years=5]
//! ```
//!
//! Deterministic: the same arguments write the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A xorshift generator, and the clauses said so far this year.
struct Rng(u64, u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const VILLAGES: &[&str] = &[
    "东山", "西岭", "南坪", "北坳", "上坪", "下湾", "石门", "桃源", "竹林", "清溪", "柳塘", "枫林",
    "杏花", "梨园", "松岗", "龙潭", "凤岭", "白沙", "青石", "红岩",
];
const INDUSTRY: &[&str] = &[
    "茶叶基地提升",
    "中蜂养殖",
    "光伏电站",
    "蔬菜大棚",
    "食用菌种植",
    "林下养鸡",
    "黄牛养殖",
    "菊花种植",
    "泉水鱼养殖",
    "香榧种植",
    "休闲农业",
    "油茶种植",
];
const OTHER: &[(&str, &str)] = &[
    ("基础设施", "道路硬化工程"),
    ("基础设施", "安全饮水工程"),
    ("教育", "学校改造工程"),
    ("健康", "村卫生室建设"),
    ("住房", "危房改造项目"),
    ("就业扶贫", "扶贫车间工程"),
];
const FIELDS: &[(&str, &str)] = &[
    ("组织领导", "思想高度重视，脱贫攻坚工作形成合力"),
    ("产业扶贫", "产业脱贫注重因地制宜，因人因户施策"),
    ("就业扶贫", "就业扶贫拓宽增收渠道"),
    ("教育扶贫", "教育扶贫阻断贫困代际传递"),
    ("健康扶贫", "健康脱贫政策落实到位"),
    ("住房保障", "危房改造保障住房安全"),
    ("易地搬迁", "易地扶贫搬迁稳步推进"),
    ("金融扶贫", "金融扶贫信贷规模持续扩大"),
    ("生态扶贫", "生态扶贫实现增绿增收"),
    ("兜底保障", "社会保障兜底有力"),
    ("基础设施", "基础设施短板加快补齐"),
    ("社会扶贫", "社会扶贫合力不断增强"),
];
const PHRASES: &[&str] = &[
    "坚持把脱贫攻坚作为重大政治任务和最大民生工程",
    "落实党政“一把手”领导责任制和考核问责制度",
    "与各乡镇、村签订脱贫攻坚责任状，级级分解任务，层层传导压力",
    "按照“户户有项目、户户有产业”目标落实资金项目",
    "围绕茶叶、蔬菜、畜牧、蜂业等优势产业开展“菜单式”扶贫",
    "通过直补到户方式鼓励贫困户参与种养业发展",
    "落实“四保障一兜底一补充”政策，家庭医生签约服务实现全覆盖",
    "落实学前教育、义务教育、普通高中教育等学段教育资助政策",
    "出台推进扶贫小额信贷实施意见，落实贴息政策，创新信贷模式",
    "统筹整合涉农资金，把扶贫资金用在刀刃上",
    "开展“每月一次工作例会、每季一次乡镇互查”的工作机制",
    "专项扶贫、行业扶贫、社会扶贫“三位一体”大扶贫格局基本形成",
    "强化驻村帮扶，选派第一书记和驻村工作队员常驻贫困村",
    "组织开展技能培训，促进贫困劳动力转移就业",
    "推进农村公路、安全饮水、电网改造等基础设施建设",
    "实施生态护林员项目，带动贫困群众就地就近增收",
];

fn narrative(rng: &mut Rng, len: usize, cites: &[String]) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.chars().count() < len {
        s += rng.pick(PHRASES);
        // Where and how widely, the count never the same twice in a year,
        // so that no two sentences of a report are the same (an office that
        // says a sentence twice is warned).
        rng.1 += 1;
        let _ = write!(s, "，{}村等{}个村受益", rng.pick(VILLAGES), rng.1 + 1);
        if i < cites.len() {
            let _ = write!(s, "，共计{{{{ f[\"{}\"] }}}}", cites[i]);
            i += 1;
        }
        s += if rng.next().is_multiple_of(3) {
            "。"
        } else {
            "，"
        };
    }
    while i < cites.len() {
        let _ = write!(s, "涉及{{{{ f[\"{}\"] }}}}。", cites[i]);
        i += 1;
    }
    if !s.ends_with('。') {
        s.pop();
        s.push('。');
    }
    s
}

/// Money in tenths of 万元, printed with one decimal.
fn money(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn office(dir: &Path, idx: usize, years: i32) {
    let mut rng = Rng(
        0x9e37_79b9_7f4a_7c15 ^ (idx as u64 + 1).wrapping_mul(0x1000_0001),
        0,
    );
    let name = format!("样例{idx:05}县");
    write(
        &dir.join("office.yaml"),
        &format!("name: {name}扶贫开发领导小组办公室\nshort_name: {name}扶贫办\nregion: {name}\n"),
    );
    let villages: Vec<String> = (0..12)
        .map(|i| format!("{}村", VILLAGES[(idx + i * 7) % VILLAGES.len()]))
        .collect();
    let villages: Vec<String> = villages
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if villages[..i].contains(v) {
                format!("{v}{i}")
            } else {
                v.clone()
            }
        })
        .collect();
    let households = rng.range(1500, 4000);
    let persons = households * 2 + rng.range(0, households / 2);
    let first = 2016;
    // Exits per year: an even share of the baseline, the last year takes the rest.
    let total_years = years as u64 + 1;
    let per_h = households / total_years;
    let per_p = persons / total_years;
    let denominator = persons * 12 + rng.range(1000, 9000);
    for y in 0..years {
        rng.1 = 0;
        let year = first + y;
        let ydir = dir.join(year.to_string());
        // Register: exits of every year before this one; this year planned.
        let mut reg = format!(
            "baseline:\n  villages: 12\n  village_names: [{}]\n  households: {households}\n  persons: {persons}\nexits:\n",
            villages.join(", ")
        );
        for (k, ey) in (first - 1..year).enumerate() {
            let v = &villages[k % 12];
            let _ = writeln!(
                reg,
                "  - {{year: {ey}, households: {per_h}, persons: {per_p}, villages: [{v}]}}"
            );
        }
        let done = (year - first + 1) as u64;
        let rem_h = households - per_h * done;
        let rem_p = persons - per_p * done;
        let low_h = rem_h * 3 / 4;
        let low_p = rem_p * 3 / 4;
        let _ = write!(
            reg,
            "remaining:\n  households: {rem_h}\n  persons: {rem_p}\n  villages: {}\n  breakdowns:\n    - by: 类型\n      parts:\n        - {{name: 低保户, households: {low_h}, persons: {low_p}}}\n        - {{name: 一般贫困户, households: {}, persons: {}}}\n",
            12 - done,
            rem_h - low_h,
            rem_p - low_p
        );
        let _ = write!(
            reg,
            "planned:\n  households: {per_h}\n  persons: {per_p}\n  villages: [{}]\ntargets: {{villages: 1, persons: {}}}\nincidence:\n  denominator: {denominator}\n  denominator_label: 2014年底农业户籍人口\n",
            villages[done as usize % 12],
            per_p - per_p % 100
        );
        write(&ydir.join("register.yaml"), &reg);

        // Projects: ~80, in 4 batches; industry takes about 70%.
        let n = rng.range(74, 86) as usize;
        let mut projects = String::from("projects:\n");
        let mut batch_sum = [0u64; 4];
        let mut batch_n = [0u64; 4];
        let mut cat: Vec<(String, u64, u64)> = Vec::new();
        let mut spent_all = 0;
        for p in 0..n {
            let (category, what) = if p % 10 < 7 {
                ("产业发展".to_string(), rng.pick(INDUSTRY).to_string())
            } else {
                let (c, w) = OTHER[(rng.next() % OTHER.len() as u64) as usize];
                (c.to_string(), w.to_string())
            };
            let budget = rng.range(80, 600);
            let completed = !rng.next().is_multiple_of(6);
            let spent = if completed {
                budget
            } else {
                budget * rng.range(50, 95) / 100
            };
            spent_all += spent;
            let b = p % 4;
            batch_sum[b] += budget;
            batch_n[b] += 1;
            match cat.iter_mut().find(|c| c.0 == category) {
                Some(c) => {
                    c.1 += budget;
                    c.2 += 1;
                }
                None => cat.push((category.clone(), budget, 1)),
            }
            let village = &villages[p % 12];
            let status = if completed {
                format!(
                    "已完工, start: {year}-0{}-1{}, end: {year}-0{}-2{}",
                    3 + p % 3,
                    p % 10,
                    7 + p % 3,
                    p % 9
                )
            } else {
                format!("在建, start: {year}-0{}-1{}", 4 + p % 4, p % 10)
            };
            let _ = writeln!(
                projects,
                "  - {{id: {year}-{p:03}, name: {village}{what}, category: {category}, village: {village}, batch: 第{}批, budget: {}, spent: {}, status: {status}, beneficiaries: {{households: {}, persons: {}}}}}",
                ["一", "二", "三", "四"][b],
                money(budget),
                money(spent),
                10 + p % 40,
                25 + p % 90
            );
        }
        let _ = spent_all;
        write(&ydir.join("projects.yaml"), &projects);
        let total: u64 = batch_sum.iter().sum();
        let mut funds = format!(
            "unit: 万元\ntitle: 资金保障有力，项目安排精准\nnarrative: |\n  {}\nfigures:\n  - {{label: 统筹使用比例, numerator: {}, denominator: {}, unit: 万元}}\nspecial:\n  label: 财政专项扶贫资金\n  stated_total: {}\n  stated_projects: {n}\n  batches:\n",
            narrative(
                &mut rng,
                160,
                &[
                    "专项资金".into(),
                    "项目个数".into(),
                    "产业发展占比".into(),
                    "开工率".into()
                ]
            ),
            1500 + idx % 500,
            2900 + idx % 700,
            money(total)
        );
        for b in 0..4 {
            let _ = writeln!(
                funds,
                "    - {{name: 第{}批, projects: {}, amount: {}}}",
                ["一", "二", "三", "四"][b],
                batch_n[b],
                money(batch_sum[b])
            );
        }
        funds += "  by_category:\n";
        for (c, amount, count) in &cat {
            let _ = writeln!(
                funds,
                "    - {{name: {c}, projects: {count}, amount: {}}}",
                money(*amount)
            );
        }
        write(&ydir.join("funds.yaml"), &funds);

        // A dozen fields of work, ~330 characters each, with figures.
        let mut measures = String::from("measures:\n");
        for (f, (title, heading)) in FIELDS.iter().enumerate() {
            let a = rng.range(100, 5000);
            let b = rng.range(20, 200);
            let whole = rng.range(300, 900);
            let part = whole * rng.range(50, 95) / 100;
            let s1 = rng.range(10, 200);
            let s2 = rng.range(10, 200);
            let cites = vec![
                format!("{title}覆盖"),
                format!("{title}项目数"),
                format!("{title}比例"),
                format!("{title}资助"),
                format!("{title}资助.甲类"),
            ];
            let _ = write!(
                measures,
                "  - title: {title}\n    heading: {heading}\n    narrative: |\n      {}\n    figures:\n      - {{label: {title}覆盖, value: {a}, unit: 户}}\n      - {{label: {title}项目数, value: {b}, unit: 个}}\n      - {{label: {title}比例, numerator: {part}, denominator: {whole}, unit: 户}}\n      - label: {title}资助\n        total: {{persons: {}}}\n        breakdowns:\n          - by: 类别\n            parts:\n              - {{name: 甲类, persons: {s1}}}\n              - {{name: 乙类, persons: {s2}}}\n",
                narrative(&mut rng, 330, &cites),
                s1 + s2
            );
            let _ = f;
        }
        write(&ydir.join("measures.yaml"), &measures);

        let mut problems = String::from("intro: 工作中仍然存在不容忽视的短板。\nproblems:\n");
        for _ in 0..4 {
            let _ = writeln!(problems, "  - {}", narrative(&mut rng, 60, &[]));
        }
        write(&ydir.join("problems.yaml"), &problems);

        let mut plan = format!(
            "targets:\n  - {{label: 贫困村出列, value: 1, unit: 个, compare: 村}}\n  - {{label: 减贫人口, value: {}, unit: 人, compare: 人}}\ntasks:\n",
            per_p - per_p % 100
        );
        for t in 0..7 {
            let _ = writeln!(
                plan,
                "  - {{text: {}, lead: 副县长, unit: 县扶贫办, deadline: {}年{}月底前}}",
                narrative(&mut rng, 40, &[]),
                year + 1,
                3 + t
            );
        }
        plan += "phases:\n  - {name: 调查摸底阶段, deadline: 1月底前}\n  - {name: 制定计划阶段, deadline: 2月底前}\n  - {name: 开展工作阶段, deadline: 11月底前}\n  - {name: 检查验收阶段, deadline: 12月底前}\nsafeguards:\n";
        for _ in 0..3 {
            let _ = writeln!(plan, "  - {}", narrative(&mut rng, 50, &[]));
        }
        write(&ydir.join("plan.yaml"), &plan);

        write(
            &ydir.join("report.yaml"),
            &format!(
                "theme: 脱贫攻坚\nissued: {year}-12-20\nintro: |\n  {}\noverview: |\n  {}\n",
                narrative(&mut rng, 150, &["本年预脱贫".into()]),
                narrative(
                    &mut rng,
                    200,
                    &["未脱贫".into(), "累计脱贫".into(), "贫困发生率".into()]
                )
            ),
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = Path::new(args.get(1).map_or("corpus", String::as_str));
    let offices: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let years: i32 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(5);
    let _ = fs::remove_dir_all(out);
    for i in 0..offices {
        office(&out.join(format!("county-{i:05}")), i, years);
    }
    println!(
        "{} offices × {years} years = {} reports in {}",
        offices,
        offices * years as usize,
        out.display()
    );
}
