//! Roll-up: the sample county (shili-xian) and its three townships.

use std::fs;

mod common;
use common::{build, nianbao, stderr};

/// The county and its townships alone, in `dir`.
fn county(dir: &std::path::Path) -> std::path::PathBuf {
    let data = dir.join("data");
    common::shili(&data);
    data
}

#[test]
fn the_county_page_lists_its_townships_and_their_sums_are_citable() {
    let tmp = tempfile::tempdir().unwrap();
    let data = county(tmp.path());
    let out = tmp.path().join("output");
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = fs::read_to_string(out.join("shili-xian/index.html")).unwrap();
    assert!(page.contains("<h2>下辖单位</h2>"), "{page}");
    for (name, remaining) in [
        ("示例县东溪镇人民政府", "60户230人"),
        ("示例县南山乡人民政府", "60户215人"),
        ("示例县北河镇人民政府", "27户114人"),
    ] {
        let at = page.find(name).unwrap_or_else(|| panic!("{name}"));
        let entry = &page[at..at + page[at..].find("</section>").unwrap()];
        assert!(entry.contains(remaining), "{entry}");
    }
    let names = nianbao(&[
        "names",
        "--data",
        data.to_str().unwrap(),
        "shili-xian",
        "2023",
    ]);
    let listing = common::stdout(&names);
    assert!(
        listing.contains("下辖合计.未消除风险  →  147户559人"),
        "{listing}"
    );
    assert!(
        listing.contains("下辖合计.监测对象基数  →  662户2210人"),
        "{listing}"
    );
}

#[test]
fn a_township_that_does_not_add_up_is_named_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = county(tmp.path());
    let reg = data.join("shili-beihe/2023/register.yaml");
    let text = fs::read_to_string(&reg).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("remaining:"))
        .unwrap()
        + 1;
    fs::write(&reg, text.replace("persons: 114}", "persons: 115}")).unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("错误[rollup.sum]：未消除风险填的是 147户559人，下辖单位合计 147户560人"),
        "{err}"
    );
    let at = format!("北河镇 27户115人（{}:{line}）", reg.display());
    assert!(err.contains(&at), "{at}\n{err}");
    assert!(err.contains("shili-xian/2023/register.yaml:14:12"), "{err}");
    let b = build(&data, &tmp.path().join("output"));
    assert_eq!(b.status.code(), Some(1), "{}", stderr(&b));
}

#[test]
fn units_must_be_offices_of_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = county(tmp.path());
    let office = data.join("shili-xian/office.yaml");
    let text = fs::read_to_string(&office).unwrap();
    fs::write(
        &office,
        text.replace("shili-beihe]", "shili-beihe, shili-xian, xi-zhen]"),
    )
    .unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("错误[rollup.unit]：下辖单位“shili-xian”就是本单位"),
        "{err}"
    );
    assert!(
        err.contains("错误[rollup.unit]：下辖单位“xi-zhen”在数据目录中没有"),
        "{err}"
    );
}

#[test]
fn a_township_changed_rebuilds_its_county() {
    let tmp = tempfile::tempdir().unwrap();
    let data = county(tmp.path());
    let out = tmp.path().join("output");
    assert_eq!(build(&data, &out).status.code(), Some(0));
    let office = data.join("shili-beihe/office.yaml");
    let text = fs::read_to_string(&office).unwrap();
    fs::write(
        &office,
        text.replace("示例县北河镇人民政府", "示例县北河镇政府"),
    )
    .unwrap();
    let o = build(&data, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("重建 2 个单位"), "{}", stderr(&o));
    let page = fs::read_to_string(out.join("shili-xian/index.html")).unwrap();
    assert!(page.contains("示例县北河镇政府"), "{page}");
}

#[test]
fn the_townships_funds_add_up_to_the_countys() {
    let tmp = tempfile::tempdir().unwrap();
    let data = county(tmp.path());
    let write = |amounts: [u32; 3]| {
        for (slug, amount) in ["shili-dongxi", "shili-nanshan", "shili-beihe"]
            .iter()
            .zip(amounts)
        {
            fs::write(
                data.join(slug).join("2023/funds.yaml"),
                format!("special:\n  label: 衔接推进乡村振兴补助资金\n  batches:\n    - {{name: 县级下达, amount: {amount}}}\n"),
            )
            .unwrap();
        }
    };
    write([2000, 1500, 1200]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names = nianbao(&[
        "names",
        "--data",
        data.to_str().unwrap(),
        "shili-xian",
        "2023",
    ]);
    assert!(common::stdout(&names).contains("下辖合计.专项资金  →  4700万元"));

    write([2000, 1500, 1000]);
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("错误[rollup.sum]：专项资金填的是 4700万元，下辖单位合计 4500万元"),
        "{err}"
    );
    assert!(
        err.contains("北河镇 1000万元（") && err.contains("shili-beihe/2023/funds.yaml）"),
        "{err}"
    );
}

/// A cycle of any length is refused at each office on it, the chain named;
/// a unit listed twice is refused (it would be counted twice).
#[test]
fn cycles_of_any_length_and_units_listed_twice_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = county(tmp.path());
    let add_units = |slug: &str, units: &str| {
        let f = data.join(slug).join("office.yaml");
        let text = fs::read_to_string(&f).unwrap();
        fs::write(&f, format!("{text}units: [{units}]\n")).unwrap();
    };
    let xian = data.join("shili-xian/office.yaml");
    let text = fs::read_to_string(&xian).unwrap();
    fs::write(
        &xian,
        text.replace(
            "units: [shili-dongxi, shili-nanshan, shili-beihe]",
            "units: [shili-dongxi]",
        ),
    )
    .unwrap();
    add_units("shili-dongxi", "shili-nanshan");
    add_units("shili-nanshan", "shili-xian, shili-beihe, shili-beihe");
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for chain in [
        "shili-xian → shili-dongxi → shili-nanshan → shili-xian",
        "shili-dongxi → shili-nanshan → shili-xian → shili-dongxi",
        "shili-nanshan → shili-xian → shili-dongxi → shili-nanshan",
    ] {
        let message = format!("错误[rollup.unit]：下辖单位形成循环：{chain}");
        assert_eq!(err.matches(&message).count(), 1, "{message}\n{err}");
    }
    assert_eq!(
        err.matches("错误[rollup.unit]：下辖单位“shili-beihe”列了两次")
            .count(),
        1,
        "{err}"
    );
    let b = build(&data, &tmp.path().join("output"));
    assert_eq!(b.status.code(), Some(1), "{}", stderr(&b));
}

/// Roll-up at any depth: a city sums its county, which sums its townships;
/// every office is checked once, so a township's finding is listed once.
#[test]
fn a_city_sums_its_county_and_each_office_is_checked_once() {
    let tmp = tempfile::tempdir().unwrap();
    let data = county(tmp.path());
    common::copy_tree(&data.join("shili-xian"), &data.join("shili-shi"));
    let city = data.join("shili-shi/office.yaml");
    let text = fs::read_to_string(&city).unwrap();
    fs::write(
        &city,
        text.replace("示例县乡村振兴局", "示例市乡村振兴局")
            .replace(
                "units: [shili-dongxi, shili-nanshan, shili-beihe]",
                "units: [shili-xian]",
            ),
    )
    .unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The city's own figure against the county's (itself the sum of the
    // townships): one step off is found, naming the county's figure.
    let reg = data.join("shili-shi/2023/register.yaml");
    let text = fs::read_to_string(&reg).unwrap();
    fs::write(
        &reg,
        text.replacen(
            "  households: 147\n  persons: 559",
            "  households: 147\n  persons: 558",
            1,
        ),
    )
    .unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(err.contains("错误[rollup.sum]"), "{err}");
    assert!(err.contains("示例县乡村振兴局 147户559人"), "{err}");
    // A township's own error is reported once, not again by each office
    // above it.
    let beihe = data.join("shili-beihe/2023/register.yaml");
    let text = fs::read_to_string(&beihe).unwrap();
    fs::write(&beihe, text.replacen("persons: 114}", "persons: -114}", 1)).unwrap();
    let o = nianbao(&["check", "--data", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(
        err.matches("shili-beihe/2023/register.yaml:").count(),
        1,
        "{err}"
    );
}
