//! The CI gate and CI formats: failure thresholds, baselines, ignores, SARIF, GitHub workflow
//! commands and JUnit XML.
