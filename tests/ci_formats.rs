//! The CI formats: SARIF 2.1.0 (validated against the vendored OASIS schema), GitHub workflow
//! commands and step summary, JUnit XML (parsed back).

use std::collections::BTreeMap;
use std::path::Path;

use claimdiff::ci::{github, junit, sarif};
use claimdiff::model::Report;
use quick_xml::events::Event;
use quick_xml::XmlVersion;
use serde_json::Value as Json;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A synthetic report: six findings of every kind over three documents, with a file name
/// holding a space and `%`, sentences holding quotes, `&`, `<`, `>` and a line break.
fn report() -> Report {
    serde_json::from_str(&read("fixtures/ci/report.json")).expect("fixtures/ci/report.json parses")
}

fn sarif_log(descriptions: &BTreeMap<String, String>) -> Json {
    serde_json::from_str(&sarif::render(&report(), descriptions)).expect("SARIF is JSON")
}

#[test]
fn sarif_output_is_valid_against_the_sarif_2_1_0_schema() {
    let schema: Json = serde_json::from_str(&read("fixtures/sarif/sarif-schema-2.1.0.json"))
        .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let log = sarif_log(&BTreeMap::new());
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // The schema does catch a broken log.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Json::from("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_results_carry_locations_fingerprints_and_levels() {
    let log = sarif_log(&BTreeMap::new());
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 5, "every finding but the agreement");

    let conflict = &results[0];
    assert_eq!(conflict["ruleId"], "troop-count");
    assert_eq!(conflict["level"], "error");
    assert_eq!(
        conflict["partialFingerprints"]["claimdiff/v1"],
        "fp-conflict-0001"
    );
    let region = &conflict["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 7);
    assert_eq!(region["byteOffset"], 412);
    assert_eq!(region["byteLength"], 77);
    // The other source's sentence spans a line break: it ends on the next line.
    let related = &conflict["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "corpus/c.txt");
    assert_eq!(related["region"]["startLine"], 3);
    assert_eq!(related["region"]["endLine"], 4);
    assert_eq!(
        related["region"]["endColumn"], 20,
        "after `ifølge regjeringen.`"
    );
    let message = conflict["message"]["text"].as_str().expect("text");
    assert!(
        message.contains("2,500") && message.contains("600–800"),
        "{message}"
    );

    let set_difference = &results[1];
    assert_eq!(set_difference["level"], "warning");
    assert_eq!(
        set_difference["relatedLocations"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        set_difference["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "corpus/b%20100%25.txt"
    );
    assert_eq!(results[3]["level"], "note", "info maps to note");

    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["backers", "names", "quotes", "troop-count"]);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_rule_descriptions_come_from_the_caller_or_the_topics() {
    let descriptions = BTreeMap::from([(
        "backers".to_string(),
        "Who backs whom, as a set per source".to_string(),
    )]);
    let log = sarif_log(&descriptions);
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(
        rules[0]["shortDescription"]["text"],
        "Who backs whom, as a set per source"
    );
    let fallback = rules[3]["shortDescription"]["text"].as_str().expect("text");
    assert!(
        fallback.contains("Mercenaries supporting General Vos"),
        "{fallback}"
    );
    assert!(fallback.contains("Troops sent this week"), "{fallback}");
}

#[test]
fn github_escapes_data_and_properties() {
    let cases = [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a: b, c", "a: b, c", "a%3A b%2C c"),
        ("%0A", "%250A", "%250A"),
        ("plain text", "plain text", "plain text"),
    ];
    for (raw, data, property) in cases {
        assert_eq!(github::escape_data(raw), data, "data {raw:?}");
        assert_eq!(github::escape_property(raw), property, "property {raw:?}");
    }
}

#[test]
fn github_commands_are_one_line_per_finding_by_level() {
    let text = github::render(&report());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        5,
        "every finding but the agreement, one line each:\n{text}"
    );
    assert!(
        lines[0].starts_with(
            "::error file=corpus/a.txt,line=7,col=1,title=claimdiff conflict%3A Mercenaries \
             supporting General Vos::Mercenaries supporting General Vos%0Acorpus/a.txt:7: 2,500 \
             (according to the president; denied by the capital)%0Acorpus/c.txt:3: 600–800"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("::warning "), "{}", lines[1]);
    assert!(
        lines[2].contains(
            "title=claimdiff quote_difference%3A Quote of the president%2C 100%25 verbatim?::"
        ),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("::notice file=corpus/a.txt,"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].contains("fingerprint fp-single-0006"),
        "{}",
        lines[4]
    );
}

#[test]
fn github_step_summary_tables_every_finding() {
    let summary = github::step_summary(&report());
    let rows: Vec<&str> = summary.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows.len(), 7, "a header and six findings:\n{summary}");
    assert!(summary.contains("`fp-agree-0005`"));
    assert!(summary.contains("corpus/c.txt:3: 600–800 (according to the government)"));
    let empty = github::step_summary(&Report::default());
    assert!(empty.contains("No finding."), "{empty}");
}

/// What a JUnit document holds, read back with an XML parser.
#[derive(Debug, Default)]
struct JunitShape {
    suites: Vec<String>,
    testcases: usize,
    failures: Vec<String>,
    failure_texts: Vec<String>,
    totals: (String, String),
}

fn attribute(element: &quick_xml::events::BytesStart<'_>, name: &str) -> String {
    element
        .try_get_attribute(name)
        .expect("well-formed attributes")
        .map(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .expect("escaped value")
                .into_owned()
        })
        .unwrap_or_default()
}

fn parse_junit(xml: &str) -> JunitShape {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut shape = JunitShape::default();
    let mut open: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(element) => {
                let name = element.name().as_ref().to_string();
                match name.as_str() {
                    "testsuites" => {
                        shape.totals = (
                            attribute(&element, "tests"),
                            attribute(&element, "failures"),
                        )
                    }
                    "testsuite" => shape.suites.push(attribute(&element, "name")),
                    "testcase" => shape.testcases += 1,
                    "failure" => {
                        shape.failures.push(attribute(&element, "type"));
                        text.clear();
                    }
                    _ => {}
                }
                open.push(name);
            }
            Event::Text(content) => text.push_str(&content.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(reference) => {
                let name = reference.xml_content(XmlVersion::Implicit1_0);
                let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                    .expect("only predefined entities");
                text.push_str(resolved);
            }
            Event::End(element) => {
                let name = element.name().as_ref().to_string();
                assert_eq!(open.pop().as_deref(), Some(name.as_str()), "balanced tags");
                if name == "failure" {
                    shape.failure_texts.push(std::mem::take(&mut text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    shape
}

#[test]
fn junit_is_well_formed_with_a_suite_per_rule_and_a_failure_per_disagreement() {
    let xml = junit::render(&report());
    let shape = parse_junit(&xml);
    assert_eq!(
        shape.suites,
        ["backers", "event-time", "names", "quotes", "troop-count"]
    );
    assert_eq!(shape.testcases, 6, "one per claim key");
    assert_eq!(
        shape.failures,
        [
            "set_difference",
            "spelling_variant",
            "quote_difference",
            "conflict"
        ]
    );
    assert_eq!(shape.totals, ("6".to_string(), "4".to_string()));
    let set_difference = &shape.failure_texts[0];
    assert!(
        set_difference
            .contains("sentence: The eastern forces receive support from Northland & <Southland>."),
        "escaped and read back: {set_difference}"
    );
    assert!(set_difference.contains("\ncorpus/b 100%.txt:2:1\n"));
    assert!(set_difference.contains("value: Northland, Westland"));
    let conflict = &shape.failure_texts[3];
    assert!(conflict.contains("attribution: according to the president; denied by the capital"));
}

#[test]
fn junit_escapes_markup_and_drops_forbidden_characters() {
    assert_eq!(
        claimdiff::report::html::escape("a<b>&\"c\"'d'\u{1}\te"),
        "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\u{FFFD}\te"
    );
    let mut report = report();
    report.findings[0].topic = "bell \u{7} <tag>".to_string();
    parse_junit(&junit::render(&report));
}
