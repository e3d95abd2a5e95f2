"""Checks a Hugging Face cache written by JTransformers with huggingface_hub itself.

    python check_cache.py CACHE_DIR REPO_ID FILE...

Runs huggingface_hub.scan_cache_dir (which reports anything not in its layout as a warning) and
try_to_load_from_cache for each file, and prints what it found; exits non-zero if anything is off.
"""
import sys

from huggingface_hub import scan_cache_dir, try_to_load_from_cache


def main(cache_dir, repo_id, files):
    info = scan_cache_dir(cache_dir)
    ok = not info.warnings
    for warning in info.warnings:
        print("warning:", warning)
    for repo in info.repos:
        print(f"repo {repo.repo_id} ({repo.repo_type}): {repo.nb_files} files, {repo.size_on_disk} bytes, refs {sorted(repo.refs)}")
        for revision in repo.revisions:
            print(f"  snapshot {revision.commit_hash}: {sorted(f.file_name for f in revision.files)} refs {sorted(revision.refs)}")
    for name in files:
        path = try_to_load_from_cache(repo_id, name, cache_dir=cache_dir)
        print(f"try_to_load_from_cache({repo_id!r}, {name!r}) -> {path}")
        ok = ok and isinstance(path, str)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
