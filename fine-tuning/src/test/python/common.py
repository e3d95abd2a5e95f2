"""What both checks share: reading the inputs and Java's answers, and comparing them with Python's."""
import json


def read_lines(path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def top(result):
    """Java's `pipeline text-classification` line: {"label", "score"} or a one-element list of it."""
    return result[0] if isinstance(result, list) else result


def compare(texts, java_results, probabilities, id2label):
    """The largest score difference and the number of differing labels between Python's probabilities and Java."""
    worst, differing = 0.0, 0
    for text, result, row in zip(texts, java_results, probabilities):
        best = int(row.argmax())
        java = top(result)
        differing += java["label"] != id2label[best]
        worst = max(worst, abs(java["score"] - float(row[best])))
    return worst, differing
