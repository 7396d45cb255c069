#!/usr/bin/env bash
# Writes eval/RESULTS.md: every model folder under models/ (the shipped taggers and the
# ablation models) scored on training_data/dev and, when present, ../shared/realdocs.
set -euo pipefail
cd "$(dirname "$0")/.."
vaner=./target/debug/vaner
realdocs=../shared/realdocs/gold.jsonl
out=eval/RESULTS.md
models=()
for m in models/default models/small* models/ablation/*; do
  [ -f "$m/labels.json" ] && models+=("$m")
done
if [ ${#models[@]} -eq 0 ]; then
  echo "eval: no tagger under models/ (train one with vaner train)" >&2
  exit 2
fi

header='| model | P | R | F1 | partial F1 | PER | TITLE | ORG | DATE | DIRECTIVE |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
{
  echo "# Results"
  echo
  echo "Made by \`make eval\` (scripts/eval.sh) on $(date -u +%Y-%m-%d) with vaner $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "P, R, F1: strict micro scores (same start, end and label); partial F1: same label, overlapping;"
  echo "the label columns are strict F1. Each model's training is recorded in its \`training.json\`."
  echo
  echo "Models:"
  for m in "${models[@]}"; do
    init="?"
    grep -q '"Random"' "$m/training.json" 2>/dev/null && init="random weights"
    # `Pretrained` names a language model, or a tagger that was trained further.
    grep -q '"Pretrained"' "$m/training.json" 2>/dev/null &&
      init="the weights of $(grep -o '"Pretrained": "[^"]*"' "$m/training.json" | cut -d'"' -f4)"
    planned=$(grep -o '"epochs": [0-9]*' "$m/training.json" | head -1 | grep -o '[0-9]*$')
    lr=$(grep -o '"learning_rate": [0-9.e-]*' "$m/training.json" | head -1 | awk '{print $2}')
    best=$(grep -o '"best_epoch": [0-9]*' "$m/training.json" 2>/dev/null | grep -o '[0-9]*$')
    ran=$(grep -c '"epoch":' "$m/training.json" 2>/dev/null || true)
    docs=$(grep -o '"train_documents": [0-9]*' "$m/training.json" | grep -o '[0-9]*$')
    features="word shapes, word-level tags"
    grep -q '"shape_types": true' "$m/config.json" 2>/dev/null || features="plain token types, subword tags"
    grep -q '"crf": true' "$m/config.json" 2>/dev/null && features="${features}, CRF"
    kept=$(grep -o '"encoder_layers": [0-9]*' "$m/training.json" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$kept" ] && init="${init} (its first ${kept} encoder layers)"
    echo "- \`$m\`: from ${init}; ${features}; ${docs} training documents; learning rate ${lr}, schedule over ${planned} epochs, ${ran} run, best on dev at epoch $(( ${best:-0} + 1 )) (see its README.md)"
  done
  echo
  echo "Each model is scored as \`vaner extract\` runs it (the model, then the span rules of"
  echo "\`src/repair.rs\`); the rows marked *model alone* leave the rules out (\`--no-rules\`)."
  echo
  echo "## training_data/dev (held-out hand-written documents)"
  echo
  echo "$header"
  for m in "${models[@]}"; do
    $vaner eval --model "$m" --gold training_data/dev --markdown-row "$m"
    $vaner eval --model "$m" --gold training_data/dev --no-rules --markdown-row "$m, model alone"
  done
  if [ -f "$realdocs" ]; then
    echo
    echo "## ../shared/realdocs (40 real State documents, never trained or tuned on)"
    echo
    echo "$header"
    for m in "${models[@]}"; do
      $vaner eval --model "$m" --gold "$realdocs" --markdown-row "$m"
      $vaner eval --model "$m" --gold "$realdocs" --no-rules --markdown-row "$m, model alone"
    done
    echo
    echo "## Full report of models/default on realdocs"
    echo
    echo '```'
    $vaner eval --model models/default --gold "$realdocs" --confusions 25
    echo '```'
  fi
  echo
  echo "## Relations (eval/relations/gold.jsonl: 32 dev documents, relations written by hand)"
  echo
  echo "Precision / recall of \`holds\`, \`member_of\`, \`issued_by\`, \`dated\` and all together,"
  echo "found between the gold entities and between the entities of models/default."
  echo
  echo "| entities | holds | member_of | issued_by | dated | all |"
  echo "|---|---:|---:|---:|---:|---:|"
  $vaner eval-relations --gold eval/relations/gold.jsonl --markdown-row "gold"
  $vaner eval-relations --gold eval/relations/gold.jsonl --model models/default --markdown-row "models/default"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "eval: wrote $out"
