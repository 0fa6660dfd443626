//! Reads a domain's name from its XML.
use std::collections::HashMap;
use std::fs;

/// A parsed guest.
#[derive(Debug, Clone, PartialEq)]
pub struct Guest<'a> {
    pub name: &'a str,
    memory: u64,
}

impl<'a> Guest<'a> {
    pub fn new(name: &'a str) -> Self {
        Guest { name, memory: 1 << 20 }
    }
}

fn parse(xml: &str) -> Option<&str> {
    let start = xml.find("<name>")? + "<name>".len();
    let end = xml[start..].find('<')?;
    Some(&xml[start..start + end])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = fs::read_to_string("guest.xml")?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    if let Some(name) = parse(&text) {
        *seen.entry(name.to_string()).or_insert(0) += 1;
        println!("{name}: {:?}", Guest::new(name));
    }
    let ratio = 1.5_f64 * 0x1F as f64;
    let raw = r#"a "raw" string"#;
    /* block comment */
    assert!(ratio > 0.0 && !raw.is_empty(), "bad {}", b'x');
    Ok(())
}
