#!/usr/bin/env python3
"""Convert the UCI optdigits test set (8x8 handwritten digits) to Spikeflow's bundled JSON.

Input: scikit-learn's copy of the data, `digits.csv.gz` (1797 rows; 64 pixel
values 0-16 then the label 0-9 per row). Debian's python3-sklearn ships it:

    apt-get install -y python3-sklearn        # or: apt-get download python3-sklearn
                                              #     && dpkg-deb -x python3-sklearn_*.deb x
    python3 scripts/convert-optdigits.py [path/to/digits.csv.gz]

Output: data/digits/digits.json (layout in data/digits/README.md). Standard
library only; the output is byte-for-byte the same on every run.
"""
import csv
import gzip
import hashlib
import io
import json
import os
import sys

DEFAULT_SOURCE = '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz'
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'data', 'digits', 'digits.json')
# One character per pixel: base 17, so 0-16 fit in '0'-'9', 'a'-'g'.
ALPHABET = '0123456789abcdefg'
WIDTH = HEIGHT = 8
COUNT = 1797


def main(argv):
    source = argv[1] if len(argv) > 1 else DEFAULT_SOURCE
    if not os.path.exists(source):
        sys.exit(f'{source} not found: install python3-sklearn or pass the path of digits.csv.gz')
    raw = open(source, 'rb').read()
    rows = list(csv.reader(io.StringIO(gzip.decompress(raw).decode('ascii'))))
    if len(rows) != COUNT:
        sys.exit(f'expected {COUNT} rows, found {len(rows)}')
    images, labels = [], []
    for n, row in enumerate(rows, start=1):
        if len(row) != WIDTH * HEIGHT + 1:
            sys.exit(f'line {n}: expected {WIDTH * HEIGHT + 1} fields, found {len(row)}')
        # sklearn's file stores integers as floats on some versions ("3.0").
        pixels = [int(float(v)) for v in row[:-1]]
        label = int(float(row[-1]))
        if any(p < 0 or p > 16 for p in pixels) or not 0 <= label <= 9:
            sys.exit(f'line {n}: a pixel outside 0..16 or a label outside 0..9')
        images.append(''.join(ALPHABET[p] for p in pixels))
        labels.append(str(label))
    doc = {
        'name': 'digits',
        'title': 'Handwritten digits, 8×8 (UCI optdigits test set)',
        'attribution': 'E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten Digits, '
                       'UCI Machine Learning Repository (1998), '
                       'https://archive.ics.uci.edu/ml/datasets/Optical+Recognition+of+Handwritten+Digits',
        'licence': 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)',
        'source': 'scikit-learn sklearn/datasets/data/digits.csv.gz (Debian python3-sklearn)',
        'source_sha256': hashlib.sha256(raw).hexdigest(),
        'width': WIDTH,
        'height': HEIGHT,
        'count': COUNT,
        'max_value': 16,
        'classes': 10,
        'encoding': 'images[k] is image k, row-major (row 0 first), one character per pixel in base 17: '
                    '"0"-"9" = 0-9, "a"-"g" = 10-16. labels[k] is the digit of image k.',
        'labels': ''.join(labels),
        'images': images,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8', newline='\n') as f:
        # One image per line keeps the file diffable and still small (~125 kB).
        f.write('{\n')
        keys = [k for k in doc if k != 'images']
        for k in keys:
            f.write(f'  {json.dumps(k)}: {json.dumps(doc[k], ensure_ascii=False)},\n')
        f.write('  "images": [\n')
        f.write(',\n'.join(f'    "{img}"' for img in images))
        f.write('\n  ]\n}\n')
    print(f'wrote {OUT}: {COUNT} images, {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main(sys.argv)
