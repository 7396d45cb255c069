//! The whole model path on a tiny configuration: pretrain (loss falls, resume is exact),
//! train → save → load → extract (a tiny tagger overfits a few documents), long documents,
//! and model folders that cannot be used.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use assert_cmd::Command;
use tempfile::TempDir;

use vaner::formats::inline;
use vaner::model::pretrain::{next_step_loss, pretrain, PretrainOptions};
use vaner::model::train::{train, Init, ModelSize, TrainOptions};
use vaner::tagger::{BertTagger, Tagger};
use vaner::Document;

const TOKENIZER: &str = "models/tokenizer.json";

fn tiny() -> ModelSize {
    ModelSize {
        hidden: 32,
        layers: 2,
        heads: 2,
        intermediate: 64,
    }
}

fn docs() -> Vec<Document> {
    [
        "Căn cứ <DIRECTIVE>Chỉ thị số 05-CT/TW</DIRECTIVE>, <DATE>ngày 15/5/2016</DATE> của <ORG>Bộ Chính trị</ORG> về việc học tập.",
        "Đồng chí <PER>Nguyễn Văn Hùng</PER>, <TITLE>Bí thư Tỉnh ủy</TITLE> dự họp với <ORG>Đảng ủy xã</ORG>.",
        "T/M <ORG>BAN THƯỜNG VỤ</ORG>\n<TITLE>PHÓ BÍ THƯ</TITLE>\n\n<PER>Trần Thị Mai</PER>",
        "Sáng <DATE>ngày 14/3</DATE>, <ORG>UBND tỉnh</ORG> ban hành <DIRECTIVE>Kế hoạch số 12-KH/UBND</DIRECTIVE>.",
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| inline::parse(&format!("d{i}"), "test", s).unwrap())
    .collect()
}

/// libtorch's random generator is global: tests that train take turns.
static TORCH: Mutex<()> = Mutex::new(());

fn torch_lock() -> std::sync::MutexGuard<'static, ()> {
    TORCH.lock().unwrap_or_else(|e| e.into_inner())
}

/// The training documents plus one that repeats the second document, so the tiny model
/// sees its windows start at every phase of the repetition (as in a long document).
fn train_tiny(out: &Path) -> Vec<Document> {
    train_tiny_with(out, false)
}

fn train_tiny_with(out: &Path, crf: bool) -> Vec<Document> {
    let mut d = docs();
    let unit = format!("{}\n", d[1].text);
    let mut repeated = Document {
        id: "repeated".into(),
        text: unit.repeat(12),
        spans: Vec::new(),
    };
    for k in 0..12 {
        repeated
            .spans
            .extend(d[1].spans.iter().map(|s| vaner::Span {
                start: s.start + k * unit.len(),
                end: s.end + k * unit.len(),
                label: s.label,
            }));
    }
    d.push(repeated);
    let opts = TrainOptions {
        init: Init::Random {
            tokenizer: PathBuf::from(TOKENIZER),
            size: tiny(),
        },
        max_len: 32,
        epochs: 150,
        batch_size: 4,
        learning_rate: 5e-3,
        warmup_fraction: 0.05,
        dropout: 0.0,
        patience: 150,
        progress: false,
        crf,
        ..TrainOptions::default()
    };
    let log = train(&d, &d, &opts, out).expect("training runs");
    assert_eq!(
        log.best_dev_strict_f1,
        Some(1.0),
        "the tiny model learns its training set: {:?}",
        log.epochs.last()
    );
    d
}

#[test]
fn tiny_tagger_overfits_and_extract_reports_original_offsets() {
    let _torch = torch_lock();
    let dir = TempDir::new().unwrap();
    let model = dir.path().join("model");
    let d = train_tiny(&model);
    for f in [
        "config.json",
        "labels.json",
        "tokenizer.json",
        "model.safetensors",
        "training.json",
    ] {
        assert!(model.join(f).is_file(), "{f}");
    }
    // Loaded back, the tagger finds exactly the gold spans.
    let tagger = BertTagger::load(&model).unwrap();
    for doc in &d {
        assert_eq!(tagger.tag(&doc.text).unwrap(), doc.spans, "{}", doc.id);
    }
    // Through the binary, on a JSONL input; offsets are characters into the text as given.
    let input = dir.path().join("in.jsonl");
    let lines: Vec<String> = d
        .iter()
        .map(|doc| serde_json::json!({"id": doc.id, "text": doc.text}).to_string())
        .collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = Command::cargo_bin("vaner")
        .unwrap()
        .args(["extract", "--model"])
        .arg(&model)
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for (line, doc) in stdout.lines().zip(&d) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["id"], doc.id.as_str());
        let chars: Vec<char> = doc.text.chars().collect();
        for e in v["entities"].as_array().unwrap() {
            let s = e["start"].as_u64().unwrap() as usize;
            let en = e["end"].as_u64().unwrap() as usize;
            assert_eq!(
                chars[s..en].iter().collect::<String>(),
                e["text"].as_str().unwrap()
            );
            n += 1;
        }
    }
    assert_eq!(n, d.iter().map(|x| x.spans.len()).sum::<usize>());

    // Trained further (`--init` a tagger folder), it starts from all its weights: after one
    // epoch at a tiny learning rate it still tags its training set perfectly, which a fresh
    // model could not.
    let further = TrainOptions {
        init: Init::Pretrained(model.clone()),
        max_len: 32,
        epochs: 1,
        batch_size: 4,
        learning_rate: 1e-6,
        progress: false,
        ..TrainOptions::default()
    };
    let log = train(&d, &d, &further, &dir.path().join("further")).expect("training goes on");
    assert_eq!(log.best_dev_strict_f1, Some(1.0), "{:?}", log.epochs);
    // A CRF can be put on it: the transitions start from zero, the emissions are the
    // tagger's, so it still tags perfectly.
    let crf = TrainOptions {
        crf: true,
        ..further.clone()
    };
    let log = train(&d, &d, &crf, &dir.path().join("crf")).expect("a CRF goes on top");
    assert_eq!(log.best_dev_strict_f1, Some(1.0), "{:?}", log.epochs);
    // Settings that shape the inputs cannot change.
    let longer = TrainOptions {
        max_len: 64,
        ..further.clone()
    };
    let err = train(&d, &d, &longer, &dir.path().join("longer")).unwrap_err();
    assert!(err.to_string().contains("cannot continue"), "{err}");
}

#[test]
fn tiny_tagger_with_a_crf_overfits_and_keeps_its_transitions() {
    let _torch = torch_lock();
    let dir = TempDir::new().unwrap();
    let model = dir.path().join("model");
    let d = train_tiny_with(&model, true);
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(model.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["crf"], true);
    // The transitions are saved and loaded with the weights: tagging after loading gives
    // the gold spans.
    let tagger = BertTagger::load(&model).unwrap();
    for doc in &d {
        assert_eq!(tagger.tag(&doc.text).unwrap(), doc.spans, "{}", doc.id);
    }
}

#[test]
fn long_documents_are_tagged_whole_and_model_folders_are_checked() {
    let _torch = torch_lock();
    let dir = TempDir::new().unwrap();
    let model = dir.path().join("model");
    let d = train_tiny(&model);
    let tagger = BertTagger::load(&model).unwrap();

    // ~200,000 characters: the same paragraph many times; its last copy is tagged like the first.
    let unit = format!("{}\n", d[1].text);
    let copies = 200_000 / unit.chars().count() + 1;
    let long = unit.repeat(copies);
    assert!(long.chars().count() >= 200_000);
    let spans = tagger.tag(&long).unwrap();
    assert_eq!(spans.len(), copies * d[1].spans.len());
    let last_start = long.len() - unit.len();
    let last: Vec<_> = spans
        .iter()
        .filter(|s| s.start >= last_start)
        .map(|s| (s.start - last_start, s.end - last_start, s.label))
        .collect();
    let first: Vec<_> = d[1]
        .spans
        .iter()
        .map(|s| (s.start, s.end, s.label))
        .collect();
    assert_eq!(last, first);

    // A folder that cannot be used gives one clear error, never a panic.
    let broken = |name: &str, change: &dyn Fn(&Path)| -> String {
        let copy = dir.path().join(name);
        fs::create_dir_all(&copy).unwrap();
        for f in fs::read_dir(&model).unwrap() {
            let f = f.unwrap();
            if f.path().is_file() {
                fs::copy(f.path(), copy.join(f.file_name())).unwrap();
            }
        }
        change(&copy);
        let out = Command::cargo_bin("vaner")
            .unwrap()
            .args(["extract", "--model"])
            .arg(&copy)
            .arg("-")
            .write_stdin("Ông Lê Văn Tám")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let e = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!e.contains("panicked"), "{e}");
        e
    };
    let e = broken("no-weights", &|p| {
        fs::remove_file(p.join("model.safetensors")).unwrap()
    });
    assert!(
        e.contains("incomplete") && e.contains("model.safetensors"),
        "{e}"
    );
    let e = broken("old", &|p| {
        let c = fs::read_to_string(p.join("config.json"))
            .unwrap()
            .replace("\"vaner_format\": 1", "\"vaner_format\": 0");
        fs::write(p.join("config.json"), c).unwrap();
    });
    assert!(e.contains("another version"), "{e}");
    let e = broken("labels", &|p| {
        fs::write(p.join("labels.json"), "[\"O\",\"B-LOC\",\"I-LOC\"]").unwrap()
    });
    assert!(e.contains("another label set"), "{e}");
    let e = broken("truncated", &|p| {
        let w = fs::read(p.join("model.safetensors")).unwrap();
        fs::write(p.join("model.safetensors"), &w[..w.len() / 2]).unwrap();
    });
    assert!(e.contains("model.safetensors"), "{e}");
}

fn pretrain_options(tokenizer: &Path) -> PretrainOptions {
    PretrainOptions {
        tokenizer: tokenizer.to_path_buf(),
        size: tiny(),
        max_len: 32,
        batch_size: 4,
        steps: 40,
        learning_rate: 3e-3,
        warmup_steps: 4,
        weight_decay: 0.01,
        mask_probability: 0.15,
        seed: 7,
        heldout_every: 4,
        checkpoint_seconds: 3600,
        log_every: 10,
        eval_every: 0,
        resume: false,
        init: None,
        progress: false,
        shape_types: true,
    }
}

fn pretraining_texts() -> Vec<(String, String)> {
    let dir = Path::new("training_data/train");
    let mut texts: Vec<(String, String)> = vaner::formats::read_annotated(dir, None)
        .unwrap()
        .into_iter()
        .take(8)
        .map(|d| (d.id, d.text))
        .collect();
    texts.truncate(8);
    texts
}

#[test]
fn pretraining_loss_falls_and_resume_is_exact() {
    let _torch = torch_lock();
    let texts = pretraining_texts();
    let dir = TempDir::new().unwrap();
    let opts = pretrain_options(Path::new(TOKENIZER));

    let full = dir.path().join("full");
    let log = pretrain(&texts, &opts, &full, None).unwrap();
    let first = log.curve.first().unwrap().train_loss;
    let last = log.curve.last().unwrap().train_loss;
    assert!(last < first - 0.5, "loss falls: {first} → {last}");
    assert!(full.join("model.safetensors").is_file());
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(full.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["shape_types"], true);
    assert_eq!(config["bert"]["type_vocab_size"], 16);

    // A tagger fine-tuned from it keeps the shape types and starts from its encoder.
    let tagger_dir = dir.path().join("tagger");
    let d = docs();
    let tune = TrainOptions {
        init: Init::Pretrained(full.clone()),
        max_len: 32,
        epochs: 1,
        batch_size: 4,
        progress: false,
        ..TrainOptions::default()
    };
    train(&d, &d, &tune, &tagger_dir).unwrap();
    let tagged: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tagger_dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(tagged["shape_types"], true);

    // `--encoder-layers 1`: a one-layer tagger whose layer is the language model's first
    // (a learning rate of zero leaves the weights as they were loaded).
    let one_layer = dir.path().join("one-layer");
    let keep_one = TrainOptions {
        encoder_layers: Some(1),
        learning_rate: 0.0,
        ..tune.clone()
    };
    train(&d, &d, &keep_one, &one_layer).unwrap();
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(one_layer.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["bert"]["num_hidden_layers"], 1);
    let weight = |dir: &Path, name: &str| {
        tch::Tensor::read_safetensors(dir.join("model.safetensors"))
            .unwrap()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t)
    };
    let first = "bert.encoder.layer.0.output.dense.weight";
    assert!(weight(&full, first)
        .unwrap()
        .equal(&weight(&one_layer, first).unwrap()));
    let second = "bert.encoder.layer.1.output.dense.weight";
    assert!(weight(&full, second).is_some());
    assert!(weight(&one_layer, second).is_none());
    let refusal = |opts: TrainOptions, out: &str| {
        train(&d, &d, &opts, &dir.path().join(out))
            .unwrap_err()
            .to_string()
    };
    let e = refusal(
        TrainOptions {
            encoder_layers: Some(3),
            ..tune.clone()
        },
        "three",
    );
    assert!(e.contains("cannot keep 3 encoder layers"), "{e}");
    // A tagger trained further keeps its size.
    let e = refusal(
        TrainOptions {
            init: Init::Pretrained(tagger_dir.clone()),
            encoder_layers: Some(1),
            ..tune.clone()
        },
        "shrunk",
    );
    assert!(e.contains("keeps all its encoder layers"), "{e}");

    // 10 steps at once, versus 6 then a resumed 4: the next step's loss is the same.
    let straight = dir.path().join("straight");
    pretrain(&texts, &opts, &straight, Some(10)).unwrap();
    let interrupted = dir.path().join("interrupted");
    pretrain(&texts, &opts, &interrupted, Some(6)).unwrap();
    let resumed = PretrainOptions {
        resume: true,
        ..opts.clone()
    };
    pretrain(&texts, &resumed, &interrupted, Some(4)).unwrap();
    let a = next_step_loss(&texts, &opts, &straight).unwrap();
    let b = next_step_loss(&texts, &opts, &interrupted).unwrap();
    assert!((a - b).abs() < 1e-5, "straight {a} vs resumed {b}");
}
