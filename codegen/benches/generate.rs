//! Parse + IR + emit of the committed SES model (`models/ses.json`), the whole pipeline that
//! `cargo xtask codegen` runs, without file I/O. `cargo bench -p codegen`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

fn generate_ses(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/ses.json");
    let json = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let opts = codegen::Options {
        source_name: "models/ses.json".to_owned(),
        ..Default::default()
    };
    let mut group = c.benchmark_group("generate");
    group.sample_size(20);
    group.bench_function("ses (parse + IR + emit)", |b| {
        b.iter(|| codegen::generate(black_box(&json), &opts).expect("ses.json generates"))
    });
    group.bench_function("ses parse", |b| {
        b.iter(|| codegen::model::parse(black_box(&json)).expect("ses.json parses"))
    });
    let model = codegen::model::parse(&json).expect("ses.json parses");
    group.bench_function("ses IR", |b| {
        b.iter(|| {
            codegen::ir::build(black_box(&model), &codegen::ir::BuildOptions::default())
                .expect("ses.json resolves")
        })
    });
    let service = codegen::ir::build(&model, &codegen::ir::BuildOptions::default())
        .expect("ses.json resolves");
    group.bench_function("ses emit", |b| {
        b.iter(|| {
            codegen::emit::emit(
                black_box(&service),
                &codegen::protocol::AwsQuery,
                &opts,
                None,
            )
            .expect("ses.json emits")
        })
    });
    group.finish();
}

criterion_group!(benches, generate_ses);
criterion_main!(benches);
