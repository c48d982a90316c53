//! Entities, mentions and spelling variants: table-driven cases from
//! `fixtures/normalize/entities/*.yaml`, loader errors, and the seed corpus.

use std::path::Path;

use claimdiff::model::{Claim, DocumentMeta, EntityRef, LangSource, Span};
use claimdiff::normalize::names::{name_mentions, spelling_variants, EntityBook, VariantGroup};
use claimdiff::rules::{embedded_files, RuleFile};
use serde::Deserialize;

const FIXTURES: &str = "fixtures/normalize/entities";
const LANGUAGES: [&str; 8] = ["en", "nl", "nb", "de", "fr", "es", "it", "ru"];

fn book() -> EntityBook {
    let files: Vec<RuleFile> = embedded_files()
        .into_iter()
        .filter(|file| file.relative.starts_with("entities/"))
        .collect();
    match EntityBook::from_files(&files) {
        Ok(book) => book,
        Err(errors) => panic!("entity rules do not load: {errors:#?}"),
    }
}

fn rule_file(text: &str) -> RuleFile {
    RuleFile {
        path: "entities/test.yaml".to_string(),
        relative: "entities/test.yaml".to_string(),
        text: text.to_string(),
    }
}

#[derive(Deserialize)]
struct MatchFixture {
    language: String,
    cases: Vec<MatchCase>,
}

#[derive(Deserialize)]
struct MatchCase {
    text: String,
    id: Option<String>,
    #[serde(default)]
    surface: Option<String>,
    #[serde(default)]
    side: Option<String>,
}

#[test]
fn match_at_follows_the_fixtures_of_every_language() {
    let book = book();
    let mut failures = Vec::new();
    for lang in LANGUAGES {
        let path = Path::new(FIXTURES).join(format!("{lang}.yaml"));
        let text = std::fs::read_to_string(&path).expect("fixture file exists");
        let fixture: MatchFixture = serde_yaml::from_str(&text).expect("fixture parses");
        assert_eq!(fixture.language, lang, "{}", path.display());
        assert!(fixture.cases.len() >= 8, "{lang}: at least 8 cases");
        for case in &fixture.cases {
            let found = book.match_at(&case.text, 0, lang);
            let got_id = found.as_ref().map(|(_, r)| r.id.to_string());
            let got_surface = found.as_ref().map(|(end, _)| case.text[..*end].to_string());
            let got_side = got_id.as_deref().and_then(|id| book.side_of(id));
            let wrong = got_id != case.id
                || (case.surface.is_some() && got_surface != case.surface)
                || (case.side.is_some() && got_side != case.side.as_deref());
            if wrong {
                failures.push(format!(
                    "{lang}: `{}`: expected {:?} {:?} side {:?}, got {got_id:?} {got_surface:?} side {got_side:?}",
                    case.text, case.id, case.surface, case.side
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[derive(Deserialize)]
struct SpellingFixture {
    pairs: Vec<(String, String, bool)>,
}

#[test]
fn same_spelling_follows_the_pair_list() {
    let book = book();
    let text = std::fs::read_to_string(Path::new(FIXTURES).join("spellings.yaml")).unwrap();
    let fixture: SpellingFixture = serde_yaml::from_str(&text).unwrap();
    let failures: Vec<String> = fixture
        .pairs
        .iter()
        .filter(|(a, b, same)| {
            book.same_spelling(a, b) != *same || book.same_spelling(b, a) != *same
        })
        .map(|(a, b, same)| format!("{a} / {b}: expected {same}"))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_world_is_covered() {
    let book = book();
    let countries = book
        .entities()
        .iter()
        .filter(|e| e.kind == claimdiff::normalize::names::EntityKind::Country)
        .count();
    assert!(countries >= 190, "{countries} countries");
    for lang in LANGUAGES {
        for (text, id) in [("Egypt", "egypt"), ("Japan", "japan"), ("Brazil", "brazil")] {
            let (_, found) = book
                .match_at(text, 0, lang)
                .expect("English names hold everywhere");
            assert_eq!(&*found.id, id);
        }
    }
    assert_eq!(&*book.match_at("Japon", 0, "fr").unwrap().1.id, "japan");
    assert_eq!(&*book.match_at("Япония", 0, "ru").unwrap().1.id, "japan");
}

#[test]
fn match_at_needs_a_word_start() {
    let book = book();
    assert!(book.match_at("PreRussia", 3, "en").is_none());
    assert!(book.match_at("pro-Russia", 4, "en").is_some());
    assert!(book.match_at("Russia", 99, "en").is_none());
    assert!(
        book.match_at("ëRussia", 1, "en").is_none(),
        "not a char boundary"
    );
}

#[test]
fn contains_and_side_of() {
    let book = book();
    assert!(book.contains("libya_gna"));
    assert!(!book.contains("atlantis"));
    assert_eq!(book.side_of("fayez_al_sarraj"), Some("libya_gna"));
    assert_eq!(book.side_of("libya_lna"), Some("libya_lna"));
    assert_eq!(book.side_of("turkey"), None);
}

#[test]
fn errors_carry_position_and_suggestion() {
    let unknown_field =
        "entities:\n  - id: x\n    kind: person\n    name: X\n    nmes: {en: [X]}\n";
    let errors = EntityBook::from_files(&[rule_file(unknown_field)]).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(5), "{errors:?}");
    assert!(
        errors[0].message.contains("did you mean `names`"),
        "{errors:?}"
    );

    let duplicate =
        "entities:\n  - {id: a, kind: place, name: A}\n  - id: a\n    kind: place\n    name: B\n";
    let errors = EntityBook::from_files(&[rule_file(duplicate)]).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].line, errors[0].column),
        (Some(3), Some(5)),
        "{errors:?}"
    );
    assert!(errors[0].message.contains("duplicate entity id `a`"));

    let bad_side = "entities:\n  - {id: f, kind: faction, name: F}\n  - {id: p, kind: person, name: P, side: g}\n";
    let errors = EntityBook::from_files(&[rule_file(bad_side)]).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .message
            .contains("side `g` of `p` is not a faction"),
        "{errors:?}"
    );
    assert_eq!(errors[0].line, Some(3));

    let bad_kind = "entities:\n  - {id: c, kind: contry, name: C}\n";
    let errors = EntityBook::from_files(&[rule_file(bad_kind)]).unwrap_err();
    assert!(
        errors[0].message.contains("did you mean `country`"),
        "{errors:?}"
    );

    // Names are transliterated to ASCII before the equivalences apply, so an equivalence
    // beyond ASCII could never match, or would write letters the fold then drops.
    let accented = "folding:\n  equivalences:\n    - [aa, en]\n    - [aa, å]\n";
    let errors = EntityBook::from_files(&[rule_file(accented)]).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.contains("`aa` → `å` is not ASCII"),
        "{errors:?}"
    );
    assert_eq!((errors[0].line, errors[0].column), (Some(4), Some(12)));
}

fn mention_texts(text: &str, lang: &str, book: &EntityBook) -> Vec<(String, String)> {
    name_mentions(text, Span::new(0, text.len()), lang, book)
        .into_iter()
        .map(|m| (m.surface, m.id.to_string()))
        .collect()
}

#[test]
fn name_mentions_finds_known_and_unknown_names() {
    let book = book();
    let found = mention_texts(
        "The talks in Istanbul failed. Gen. Khalifa Hifter met Charles Michel and Haftar's aides.",
        "en",
        &book,
    );
    let expected = [
        ("Istanbul", "istanbul"),
        ("Khalifa Hifter", "~kalifa hifter"),
        ("Charles Michel", "charles_michel"),
        ("Haftar", "khalifa_haftar"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn name_mentions_trims_genitives_and_skips_titles() {
    let book = book();
    let found = mention_texts(
        "Sarrajs regjering og Tyrkias president Erdogan.",
        "nb",
        &book,
    );
    let surfaces: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(surfaces, ["Sarrajs regjering", "Tyrkia", "Erdogan"]);
    let found = mention_texts("Foreign Minister Mevlut Cavusoglu spoke.", "en", &book);
    assert_eq!(
        found,
        [(
            "Mevlut Cavusoglu".to_string(),
            "mevlut_cavusoglu".to_string()
        )]
    );
}

#[test]
fn name_mentions_in_german_needs_a_title_for_unknown_names() {
    let book = book();
    let found = mention_texts(
        "Die Regierung und General Hifter trafen Putin.",
        "de",
        &book,
    );
    let surfaces: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(surfaces, ["Hifter", "Putin"]);
}

#[test]
fn name_mentions_respects_the_span() {
    let book = book();
    let text = "Putin met Erdogan.";
    let found = name_mentions(text, Span::new(10, text.len()), "en", &book);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].span, Span::new(10, 17));
}

/// A mention claim of `document` naming `mention`.
fn mention_claim(document: &str, mention: &EntityRef) -> Claim {
    serde_json::from_value(serde_json::json!({
        "document": document,
        "rule": "mention",
        "kind": "mention",
        "key": format!("mention:{}", mention.id),
        "topic": "name",
        "level": "info",
        "slots": {"name": {
            "text": mention.surface,
            "span": mention.span,
            "value": {"entity": mention},
        }},
        "evidence": {
            "file": document, "line": 1, "column": 1,
            "start": mention.span.start, "end": mention.span.end, "text": mention.surface,
        },
    }))
    .expect("a mention claim deserializes")
}

fn meta(id: &str, lang: &str) -> DocumentMeta {
    DocumentMeta {
        id: id.into(),
        lang: lang.to_string(),
        lang_source: LangSource::Detected,
        date: None,
        outlet: None,
        url: None,
        story: String::new(),
    }
}

fn detect(text: &str) -> &'static str {
    match whatlang::detect_lang(text).map(|lang| lang.code()) {
        Some("nld") => "nl",
        Some("nob") | Some("nno") | Some("dan") => "nb",
        Some("deu") => "de",
        Some("fra") => "fr",
        Some("spa") => "es",
        Some("ita") => "it",
        Some("rus") => "ru",
        _ => "en",
    }
}

/// Forms (lower-cased) of the group holding `form` in any case, if one is reported.
fn group_of(groups: &[VariantGroup], form: &str) -> Option<Vec<String>> {
    groups
        .iter()
        .find(|g| g.forms.iter().any(|f| f.form.eq_ignore_ascii_case(form)))
        .map(|g| g.forms.iter().map(|f| f.form.to_lowercase()).collect())
}

#[test]
fn seeds_show_their_spelling_variants() {
    let book = book();
    let mut paths: Vec<_> = std::fs::read_dir("seeds")
        .expect("seeds folder")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    let mut claims = Vec::new();
    let mut documents = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let (_, body) = claimdiff::corpus::split_header(&text).unwrap();
        let id = path.display().to_string();
        let lang = detect(&text[body.start..body.end]);
        for mention in name_mentions(&text, body, lang, &book) {
            claims.push(mention_claim(&id, &mention));
        }
        documents.push(meta(&id, lang));
    }
    let langs: Vec<&str> = documents.iter().map(|d| d.lang.as_str()).collect();
    assert_eq!(langs, ["en", "en", "nl", "en", "nb"]);
    let refs: Vec<&Claim> = claims.iter().collect();
    let groups = spelling_variants(&refs, &documents, &book);
    let must_group = [
        ("Haftar", &["Hifter"][..]),
        ("Sarraj", &["Serraj", "al-Sarraj"][..]),
        ("Gaddafi", &["Gadhafi"][..]),
        ("Muammar", &["Moammar"][..]),
        ("Borrell", &["Borell"][..]),
    ];
    for (form, others) in must_group {
        let group = group_of(&groups, form).unwrap_or_else(|| panic!("{form}: {groups:#?}"));
        for other in others {
            let other = other.to_lowercase();
            assert!(group.contains(&other), "{form} with {other}: {group:?}");
        }
    }
    for form in [
        "Putin", "Poetin", "Turkey", "Turkije", "Tyrkia", "Michel", "Erdogan",
    ] {
        assert!(
            group_of(&groups, form).is_none(),
            "{form} reported: {groups:#?}"
        );
    }
    let sarraj = groups
        .iter()
        .find(|g| g.entity == "Fayez al-Sarraj")
        .unwrap();
    let flags: Vec<(&str, bool)> = sarraj
        .forms
        .iter()
        .map(|f| (f.form.as_str(), f.language_form))
        .collect();
    assert!(
        flags.contains(&("Serraj", false)) && flags.contains(&("Sarraj", true)),
        "{flags:?}"
    );
}

#[test]
fn language_forms_of_different_languages_are_not_variants() {
    let book = book();
    let putin = |surface: &str| EntityRef {
        id: "vladimir_putin".into(),
        name: "Vladimir Putin".into(),
        surface: surface.to_string(),
        span: Span::new(0, surface.len()),
    };
    let claims = [
        mention_claim("a", &putin("Putin")),
        mention_claim("b", &putin("Poetin")),
    ];
    let refs: Vec<&Claim> = claims.iter().collect();
    let documents = [meta("a", "en"), meta("b", "nl")];
    assert!(spelling_variants(&refs, &documents, &book).is_empty());
    // Poetin in an English article is a spelling variant.
    let documents = [meta("a", "en"), meta("b", "en")];
    let groups = spelling_variants(&refs, &documents, &book);
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0].entity, "Vladimir Putin");
}
