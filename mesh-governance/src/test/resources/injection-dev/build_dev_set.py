#!/usr/bin/env python3
"""Assembles injection-dev.jsonl from the sources listed in DATA.md (run once; the output is committed).

usage: build_dev_set.py GARAK_GIT_DIR AWESOME_PROMPTS_GIT_DIR CLINC_OOS_GIT_DIR TSYSTEMS_NLU_DE_GIT_DIR ANTHROPIC_DOCS_JSON
Reads blobs with `git show` at the commits named in DATA.md; deterministic (fixed seed, sorted input).
"""
import io, gzip, ast, csv, hashlib, json, random, re, subprocess, sys

GARAK_COMMIT = "cafbe992780df70015de7295ca026b70c4629ada"
PROMPTS_COMMIT = "50a97c072933c93c76cc0714e9dd4c4cf1d80ae7"   # last commit whose prompts.csv is stored
MESSAGES_COMMIT = "f14bb05f1f382166030420535a2fc0c84ff2bb05"
MAX_CHARS = 2000
csv.field_size_limit(10**9)
rnd = random.Random(15)
out = []


def show(repo, commit, path):
    return subprocess.run(["git", "--git-dir", repo, "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def add(text, label, lang, source, group=None):
    text = text.strip()
    if len(text) < 3:
        return
    text = text[:MAX_CHARS]
    out.append({"text": text, "label": label, "lang": lang, "source": source,
                "group": group or hashlib.sha1(text.encode()).hexdigest()[:12]})


garak, prompts = sys.argv[1], sys.argv[2]
# --- attacks (label 1)
for p in json.loads(show(garak, GARAK_COMMIT, "garak/data/inthewild_jailbreak_llms.json")):
    add(p, 1, "en", "garak/inthewild_jailbreak_llms")
for name in ["AntiDAN", "ChatGPT_Developer_Mode_RANTI", "ChatGPT_Developer_Mode_v2", "ChatGPT_Image_Markdown",
             "DAN_Jailbreak", "DUDE", "Dan_11_0", "Dan_6_0", "Dan_6_2", "Dan_7_0", "Dan_8_0", "Dan_9_0", "STAN"]:
    for p in json.loads(show(garak, GARAK_COMMIT, f"garak/data/dan/{name}.json")):
        add(p.replace("{generator.name}", "ChatGPT"), 1, "en", "garak/dan")
for group in json.loads(show(garak, GARAK_COMMIT, "garak/data/sysprompt_extraction/attacks.json")).values():
    for p in group:
        add(p, 1, "en", "garak/sysprompt_extraction")
pi = show(garak, GARAK_COMMIT, "garak/resources/promptinject/prompt_data.py")
tree = ast.parse(pi)
consts = {t.targets[0].id: ast.literal_eval(t.value) for t in tree.body
          if isinstance(t, ast.Assign) and isinstance(t.targets[0], ast.Name)
          and t.targets[0].id in ("rogue_strings", "goal_hikacking_attacks", "prompt_leaking_attacks")}
for key, a in sorted(consts["goal_hikacking_attacks"].items()):
    for rk, rogue in sorted(consts["rogue_strings"].items()):
        add(a["instruction"].replace("{REPLACE_rogue_string}", rogue), 1, "en", "garak/promptinject", "pi-" + key)
for key, a in sorted(consts["prompt_leaking_attacks"].items()):
    add(a["instruction"], 1, "en", "garak/promptinject", "pi-" + key)
li = show(garak, GARAK_COMMIT, "garak/probes/latentinjection.py")
for m in re.finditer(r'f?"(Ignore [^"\n]{10,200})"', li):
    add(m.group(1).replace("{PAYLOAD_MARKER}", "Haha pwned!"), 1, "en", "garak/latentinjection")

hand_attacks = [l.rstrip("\n").split("\t", 1) for l in open("handwritten-attacks.tsv", encoding="utf-8") if l.strip()]
hand_benign = [l.rstrip("\n").split("\t", 1) for l in open("handwritten-benign.tsv", encoding="utf-8") if l.strip()]
for lang, t in hand_attacks:
    add(t, 1, lang, "handwritten")
# indirect injection: a hand-written attack inside a benign carrier text of the same language (same group as the
# plain attack, so both land in the same split)
carriers = {l: [t for ll, t in hand_benign if ll == l] for l in ("en", "de", "fr", "es")}
for lang, t in hand_attacks:
    c = rnd.sample(carriers[lang], 2)
    add(c[0] + " " + t + " " + c[1], 1, lang, "handwritten-embedded",
        hashlib.sha1(t.strip().encode()).hexdigest()[:12])

# --- benign (label 0)
for p in json.loads(show(garak, GARAK_COMMIT, "garak/data/payloads/normal_instructions.json"))["payloads"]:
    add(p, 0, "en", "garak/normal_instructions")
for lang, t in hand_benign:
    add(t, 0, lang, "handwritten")
rows = list(csv.DictReader(show(prompts, PROMPTS_COMMIT, "prompts.csv").splitlines(keepends=True)))
bad = re.compile(r"jailbr|\bdan\b|ignore (all|any|previous)|no restrictions|unfiltered|uncensored|developer mode|"
                 r"prompt injection|bypass", re.I)
rows = [r for r in rows if r["prompt"] and not bad.search(r["prompt"]) and r.get("type", "TEXT") == "TEXT"]
rows.sort(key=lambda r: r["act"])
for r in rnd.sample(rows, min(2500, len(rows))):
    add(r["prompt"], 0, "en", "awesome-chatgpt-prompts/prompts.csv")


def strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, str):
        yield node


for lang in ("en", "de", "fr", "es"):
    vals = sorted({s for s in strings(json.loads(show(prompts, MESSAGES_COMMIT, f"messages/{lang}.json")))
                   if len(s) >= 25 and "{" not in s})
    for s in rnd.sample(vals, min(400, len(vals))):
        add(s, 0, lang, "awesome-chatgpt-prompts/messages")

CLINC_COMMIT = "828f8093932c8fe6ca7936c3d2e52903b1c523de"
TSYS_COMMIT = "9ade99a050235377fc7b3b960570e02028790595"
clinc, tsys = sys.argv[3], sys.argv[4]
d = json.loads(show(clinc, CLINC_COMMIT, "data/data_full.json"))
queries = sorted({q for part in ("train", "val", "test", "oos_train", "oos_val", "oos_test") for q, _ in d[part]})
for q in rnd.sample(queries, 1500):
    add(q, 0, "en", "clinc/oos-eval")
rows = list(csv.DictReader(show(tsys, TSYS_COMMIT, "NLU-Data-Home-Domain-similarity-de.csv").splitlines(keepends=True)))
for s in sorted({r["sentence1"] for r in rows}):
    add(s, 0, "de", "t-systems/NLU-Evaluation-Data-de-en")

# prose: tool results and retrieved documents are scanned too
for c in json.load(open(sys.argv[5], encoding="utf-8")):
    add(c["text"], 0, "en", "anthropic-cookbook/anthropic_docs")
claims = show(garak, GARAK_COMMIT, "garak/data/truefalse_falseclaims.txt").splitlines()[1:]
for line in rnd.sample(sorted(set(claims)), 600):
    add(line.rsplit(",", 1)[0], 0, "en", "garak/truefalse_falseclaims")

seen = set()
with io.TextIOWrapper(gzip.GzipFile("injection-dev.jsonl.gz", "wb", 9, mtime=0), encoding="utf-8") as f:
    for r in out:
        if r["text"] in seen:
            continue
        seen.add(r["text"])
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(seen), "records")
