//! Generated territories: `[[regions]]` expand deterministically into zones and structures.

use pluri::scenario::{Rurality, StructureKind};
use pluri::Scenario;

const TWO_REGIONS: &str = r#"
name = "two-regions"
seed = 3
weeks = 4
warmup_weeks = 1

[[regions]]
name = "nord"
zones = 6
population = 3000
urban_share = 0.34
periurban_share = 0.33
radius_km = 15
msps = 2
msp_gps_min = 1
msp_gps_max = 2
dacs = 1
hospitals = 1
social_services = 1

[[regions]]
name = "sud"
zones = 4
population = 2000
x_km = 60
urban_share = 0
periurban_share = 0.5
msmas = 0
hospitals = 1
layout_seed = 9
"#;

fn load(text: &str) -> Result<Scenario, String> {
    Scenario::from_toml_str(text, "test.toml").map_err(|e| e.to_string())
}

fn two_regions() -> Scenario {
    load(TWO_REGIONS).unwrap_or_else(|e| panic!("{e}"))
}

fn layout(s: &Scenario) -> String {
    format!("{:?}{:?}", s.zones(), s.structures())
}

fn error_of(text: &str) -> String {
    match load(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e,
    }
}

fn france() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/france.toml");
    Scenario::from_file(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn generation_is_deterministic_and_independent_of_the_run_seed() {
    let a = two_regions();
    let b = two_regions();
    assert_eq!(layout(&a), layout(&b));
    let reseeded = a.with_sets(&["seed=99"]).expect("valid");
    assert_eq!(layout(&a), layout(&reseeded));
}

#[test]
fn changing_the_layout_seed_changes_the_territory() {
    let a = two_regions();
    let b = a.with_sets(&["regions.nord.layout_seed=2"]).expect("valid");
    assert_ne!(layout(&a), layout(&b));
    assert_eq!(a.population(), b.population());
}

#[test]
fn zone_populations_add_up_exactly_to_the_region_population() {
    let s = two_regions();
    let sum = |prefix: &str| -> u64 {
        s.zones()
            .iter()
            .filter(|z| z.name.starts_with(prefix))
            .map(|z| z.population)
            .sum()
    };
    assert_eq!(sum("nord-"), 3000);
    assert_eq!(sum("sud-"), 2000);
    assert_eq!(s.zones().len(), 10);
}

#[test]
fn rurality_shares_are_respected_and_the_urban_zones_are_the_most_populous() {
    let s = two_regions();
    let nord: Vec<_> = s
        .zones()
        .iter()
        .filter(|z| z.name.starts_with("nord-"))
        .collect();
    let count = |r: Rurality| nord.iter().filter(|z| z.rurality == r).count();
    assert_eq!((count(Rurality::Urban), count(Rurality::Periurban)), (2, 2));
    let least_urban = nord
        .iter()
        .filter(|z| z.rurality == Rurality::Urban)
        .map(|z| z.population)
        .min();
    let most_rural = nord
        .iter()
        .filter(|z| z.rurality == Rurality::Rural)
        .map(|z| z.population)
        .max();
    assert!(least_urban >= most_rural);
    assert!(s
        .zones()
        .iter()
        .filter(|z| z.name.starts_with("sud-"))
        .all(|z| z.rurality != Rurality::Urban));
}

#[test]
fn structures_land_in_zones_of_their_region() {
    let s = two_regions();
    assert_eq!(s.structures().len(), 6);
    for st in s.structures() {
        let region = st.name.split('-').next().unwrap_or_default();
        assert!(
            s.zones()[st.zone].name.starts_with(&format!("{region}-")),
            "{} in {}",
            st.name,
            s.zones()[st.zone].name
        );
    }
    let kinds: Vec<_> = s.structures().iter().map(|st| st.kind).collect();
    assert_eq!(
        kinds.iter().filter(|&&k| k == StructureKind::Msp).count(),
        2
    );
    assert!(s
        .structures()
        .iter()
        .filter(|st| st.kind.is_referral_service())
        .all(|st| st.capacity_per_week > 0.0 && st.reach_minutes >= 40.0));
}

#[test]
fn listed_structures_may_stand_in_generated_zones() {
    let text = format!(
        "{TWO_REGIONS}\n[[structures]]\nname = \"msp_extra\"\nkind = \"msp\"\nzone = \"sud-1\"\ngps = 1\n"
    );
    let s = load(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.structures()[0].name, "msp_extra");
    assert_eq!(s.zones()[s.structures()[0].zone].name, "sud-1");
}

#[test]
fn a_region_field_can_be_set_by_name() {
    let s = two_regions()
        .with_sets(&["regions.sud.population=2500"])
        .expect("valid");
    assert_eq!(s.population(), 5500);
}

#[test]
fn a_scenario_with_regions_simulates_and_round_trips_through_show() {
    let s = two_regions();
    let r = pluri::simulate(&s);
    assert_eq!(r.weekly.len(), 4);
    let shown = s.to_commented_toml();
    assert!(shown.contains("[[regions]]") && !shown.contains("nord-1"));
    let again = load(&shown).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.to_commented_toml(), shown);
    assert_eq!(again.hash(), s.hash());
    assert_eq!(layout(&again), layout(&s));
}

const ONE: &str = "name = \"t\"\n\n[[regions]]\nname = \"r\"\n";

#[test]
fn zero_zones_with_residents_is_refused_with_line_and_field() {
    let e = error_of(&format!("{ONE}zones = 0\npopulation = 10\n"));
    assert!(e.contains(":3:") && e.contains("regions.r.zones"), "{e}");
}

#[test]
fn shares_above_one_in_sum_are_refused_with_line_and_field() {
    let e = error_of(&format!("{ONE}urban_share = 0.7\nperiurban_share = 0.5\n"));
    assert!(e.contains(":3:") && e.contains("periurban_share"), "{e}");
    let e = error_of(&format!("{ONE}urban_share = 1.5\n"));
    assert!(e.contains("line 5") && e.contains("between 0 and 1"), "{e}");
}

#[test]
fn msp_gps_min_above_max_is_refused_with_line_and_field() {
    let e = error_of(&format!("{ONE}msp_gps_min = 9\nmsp_gps_max = 4\n"));
    assert!(
        e.contains(":3:") && e.contains("regions.r.msp_gps_min"),
        "{e}"
    );
}

#[test]
fn more_msps_than_the_zones_can_take_is_refused() {
    let e = error_of(&format!("{ONE}zones = 2\npopulation = 5000\nmsps = 40\n"));
    assert!(
        e.contains(":3:") && e.contains("regions.r.msps") && e.contains("GPs to spare"),
        "{e}"
    );
}

#[test]
fn practices_that_fit_in_total_but_not_zone_by_zone_are_refused() {
    // Two equal rural zones of 4,800 residents: 5 GPs each, room for one 3-GP MSP each.
    let e = error_of(&format!(
        "{ONE}zones = 2\npopulation = 9600\npopulation_spread = 0\nurban_share = 0\nperiurban_share = 0\nmsps = 3\n"
    ));
    assert!(
        e.contains(":3:") && e.contains("after 2") && e.contains("msps"),
        "{e}"
    );
}

#[test]
fn duplicate_region_names_are_refused() {
    let e = error_of(&format!("{ONE}\n[[regions]]\nname = \"r\"\n"));
    assert!(e.contains(":6:") && e.contains("defined twice"), "{e}");
}

#[test]
fn a_generated_name_clashing_with_a_listed_zone_is_refused() {
    let e = error_of(&format!(
        "{ONE}\n[[zones]]\nname = \"r-1\"\npopulation = 10\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n"
    ));
    assert!(e.contains(":3:") && e.contains("\"r-1\""), "{e}");
}

#[test]
fn france_validates_at_national_scale() {
    let t = std::time::Instant::now();
    let s = france();
    assert!(
        (1500..=2000).contains(&s.zones().len()),
        "{}",
        s.zones().len()
    );
    let pop = s.population() as f64;
    assert!((pop / 68.0e6 - 1.0).abs() < 0.01, "{pop}");
    let msps = s
        .structures()
        .iter()
        .filter(|st| st.kind == StructureKind::Msp)
        .count();
    assert!((2300..=2700).contains(&msps), "{msps}");
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());
}
