"""How often a small convolutional network, trained on a CPU in minutes, reads
our image CAPTCHA: on the installation it was trained on, on another
installation, and on the PyPI ``captcha`` library's ImageCaptcha.

    .venv/bin/pip install -e ".[captcha-attack]"   # torch (a CPU build), captcha
    .venv/bin/python bench/captcha_cnn.py [--train 30000] [--epochs 6]

Each installation draws its codes in a style derived from its secret key
(``communique.captcha.styles``). The attacker draws training images with the
generator itself, as anyone can from our source, under one secret key; then
reads fresh codes drawn under the same key (the "same style" figure: an
attacker who could draw with the target's key, which no outsider can), and
under another key (the "cross-installation" figure: a model trained on one
site, or on the defaults, used against another). The same network, data size
and training are used on ImageCaptcha (its defaults, 160x60, our alphabet and
code length).

The network sees the image in colour at 48x144 pixels (both generators' shape
scaled), through four convolution blocks and one classifier per character
position: the common design of published CAPTCHA-solving networks. Its budget
is fixed in images and epochs, not seconds, so a busy machine changes the time
taken, not the figures. A code counts as read when all its characters are.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image

from communique.captcha.codes import ENGLISH
from communique.captcha.drawing import draw_png

HEIGHT, WIDTH = 48, 144
LENGTH = 5  # COMMUNIQUE_CAPTCHA_LENGTH's default
CHARACTERS = ENGLISH.characters
TRAINED_ON = "the secret key of one installation, 50 characters or so: aaaa-1"
OTHERS = [
    f"the secret key of another installation, number {n}: b-{n}" for n in range(5)
]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _ours(code: str, seed: int, key: str) -> Image.Image:
    from communique.captcha.styles import style_of

    png = draw_png(code, seed=seed, style=style_of(key))
    return Image.open(io.BytesIO(png))


def _previous(code: str, seed: int, key: str) -> Image.Image:
    """The generator before styles, from a checkout named by
    COMMUNIQUE_PREVIOUS_SRC (its ``src`` folder): one look for every site."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "previous_drawing",
        os.path.join(
            os.environ["COMMUNIQUE_PREVIOUS_SRC"], "communique/captcha/drawing.py"
        ),
    )
    module = sys.modules.get(spec.name)
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return Image.open(io.BytesIO(module.draw_png(code, seed=seed)))


def _theirs(code: str, seed: int, key: str) -> Image.Image:
    from captcha.image import ImageCaptcha

    random.seed(seed)  # ImageCaptcha draws with the module-level random
    return ImageCaptcha().generate_image(code)


def _sample(job: tuple[str, str, int]) -> tuple[np.ndarray, list[int]]:
    source, key, seed = job
    rng = random.Random(f"{source}:{key}:{seed}")
    code = "".join(rng.choice(CHARACTERS) for _ in range(LENGTH))
    draw = {"pypi": _theirs, "previous": _previous, "ours": _ours}[source]
    image = draw(code, seed, key).convert("RGB")
    image = image.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    return np.asarray(image, dtype=np.uint8), [CHARACTERS.index(c) for c in code]


def dataset(source: str, key: str, count: int, first_seed: int, workers: int):
    """``count`` images and their labels, drawn in ``workers`` processes."""
    jobs = [(source, key, first_seed + i) for i in range(count)]
    with Pool(workers) as pool:
        samples = pool.map(_sample, jobs, chunksize=256)
    images = np.stack([s[0] for s in samples]).transpose(0, 3, 1, 2)
    labels = np.array([s[1] for s in samples], dtype=np.int64)
    return images, labels


def network():
    import torch.nn as nn

    def block(into: int, out: int) -> list:
        return [
            nn.Conv2d(into, out, 3, padding=1, bias=False),
            nn.BatchNorm2d(out),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
        ]

    return nn.Sequential(
        *block(3, 32),
        *block(32, 64),
        *block(64, 96),
        *block(96, 128),  # 3 x 9 left of 48 x 144
        nn.Flatten(),
        nn.Dropout(0.3),
        nn.Linear(128 * 3 * 9, 512),
        nn.ReLU(inplace=True),
        nn.Dropout(0.3),
        nn.Linear(512, LENGTH * len(CHARACTERS)),
    )


def _tensor(images: np.ndarray):
    import torch

    return torch.from_numpy(images).float().div_(255.0).sub_(0.5)


def train(images: np.ndarray, labels: np.ndarray, epochs: int, batch: int = 64):
    import torch
    import torch.nn.functional as F

    torch.manual_seed(1)
    model = network()
    steps = epochs * (len(images) // batch)
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, 2e-3, total_steps=steps)
    targets = torch.from_numpy(labels)
    order = np.random.default_rng(1)
    model.train()
    for epoch in range(epochs):
        started, total = time.perf_counter(), 0.0
        for start in range(0, len(images) - batch + 1, batch):
            index = slice(start, start + batch)
            logits = model(_tensor(images[index])).view(-1, LENGTH, len(CHARACTERS))
            loss = F.cross_entropy(
                logits.reshape(-1, len(CHARACTERS)), targets[index].reshape(-1)
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        out(
            f"    epoch {epoch + 1}/{epochs}: loss {total / (len(images) // batch):.3f}"
            f" ({time.perf_counter() - started:.0f} s)"
        )
        shuffled = order.permutation(len(images))
        images, labels = images[shuffled], labels[shuffled]
        targets = torch.from_numpy(labels)
    model.eval()
    return model


def read_rate(model, images: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The share of codes read whole, and of characters read."""
    import torch

    with torch.no_grad():
        guesses = torch.cat(
            [
                model(_tensor(images[i : i + 500]))
                .view(-1, LENGTH, len(CHARACTERS))
                .argmax(-1)
                for i in range(0, len(images), 500)
            ]
        ).numpy()
    right = guesses == labels
    return float(right.all(axis=1).mean()), float(right.mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=int, default=30000, help="training images")
    parser.add_argument("--test", type=int, default=1000, help="test images")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--only",
        choices=("ours", "pypi", "previous"),
        help="train on one generator only",
    )
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.workers)
    out(
        f"torch {torch.__version__}, {args.workers} threads; {args.train} training"
        f" images, {args.epochs} epochs, {args.test} test codes of {LENGTH}"
        f" characters from {len(CHARACTERS)}; load average"
        f" {os.getloadavg()[0]:.2f}"
    )
    runs = ["ours", "pypi"]
    if os.environ.get("COMMUNIQUE_PREVIOUS_SRC"):
        runs.append("previous")
    if args.only:
        runs = [source for source in runs if source == args.only]
    rows = []
    for source in runs:
        out(f"\n{source}: drawing {args.train} training images")
        started = time.perf_counter()
        images, labels = dataset(source, TRAINED_ON, args.train, 0, args.workers)
        out(f"  drawn in {time.perf_counter() - started:.0f} s; training")
        started = time.perf_counter()
        model = train(images, labels, args.epochs)
        trained = time.perf_counter() - started
        own = "same style" if source == "ours" else "fresh images of its own"
        tests = [(own, [TRAINED_ON])]
        if source == "ours":
            tests.append(("other installations", OTHERS))
        for name, keys in tests:
            rates = []
            for key in keys:
                test_images, test_labels = dataset(
                    source, key, args.test, 10**8, args.workers
                )
                codes, characters = read_rate(model, test_images, test_labels)
                rates.append((codes, characters))
                out(f"  {name}: {codes:.1%} of codes, {characters:.1%} of characters")
            rows.append((source, name, rates, trained))
    out(
        "\n| trained on | tested on | codes read | characters read | training |"
        "\n| --- | --- | ---: | ---: | ---: |"
    )
    labels = {
        "ours": "our installation A",
        "pypi": "PyPI captcha",
        "previous": "the generator before styles",
    }
    for source, name, rates, trained in rows:
        codes = [rate[0] for rate in rates]
        characters = [rate[1] for rate in rates]
        if len(rates) > 1:
            name = f"{len(rates)} {name} (mean, highest)"
            read = f"{np.mean(codes):.1%}, {max(codes):.1%}"
            chars = f"{np.mean(characters):.1%}, {max(characters):.1%}"
        else:
            read, chars = f"{codes[0]:.1%}", f"{characters[0]:.1%}"
        out(f"| {labels[source]} | {name} | {read} | {chars} | {trained:.0f} s |")


if __name__ == "__main__":
    main()
