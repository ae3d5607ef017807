#!/usr/bin/env python3
"""Writes resize.json: one synthetic RGB image resized by the reference libraries, for ResamplerGoldenTests.

Run with Debian's packages (python3-torch, python3-torchvision, python3-pil, python3-opencv):
    /usr/bin/python3 tests/ServerlessVideo.Media.Tests/Data/resampling/make_golden.py
CI does not need them: it reads the committed resize.json.
"""
import base64
import json
import os

import cv2
import numpy as np
import PIL
import torch
import torchvision
import torchvision.transforms.functional as F
from PIL import Image
from torchvision.transforms import InterpolationMode

W, H = 67, 45


def source():
    # The same formula as ResamplerGoldenTests.Source: ramps, a product term for texture, every channel different.
    y, x = np.mgrid[0:H, 0:W]
    channels = [(x * 7 + y * 13 + c * 50 + ((x * y) % 17) * 5) % 256 for c in range(3)]
    return np.stack(channels, axis=-1).astype(np.uint8)  # H, W, 3


def b64(hwc):
    return base64.b64encode(np.ascontiguousarray(hwc, dtype=np.uint8).tobytes()).decode("ascii")


def main():
    img = source()
    chw = torch.from_numpy(img).permute(2, 0, 1).contiguous()
    sizes = [(19, 29), (53, 80), (45, 30), (20, 67)]  # (height, width): down, up, one side only, the other only
    cases = []

    def add(library, interpolation, antialias, out):
        cases.append({"library": library, "interpolation": interpolation, "antialias": antialias,
                      "height": int(out.shape[0]), "width": int(out.shape[1]), "rgb": b64(out)})

    tv = {"nearest": InterpolationMode.NEAREST, "bilinear": InterpolationMode.BILINEAR, "bicubic": InterpolationMode.BICUBIC}
    for name, mode in tv.items():
        for antialias in ([False] if name == "nearest" else [False, True]):
            for h, w in sizes:
                out = F.resize(chw, [h, w], interpolation=mode, antialias=antialias)
                add("torchvision", name, antialias, out.permute(1, 2, 0).numpy())

    pil = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC}
    for name, mode in pil.items():
        for h, w in sizes:
            out = np.asarray(Image.fromarray(img).resize((w, h), resample=mode))
            add("pil", name, True, out)

    cv = {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA}
    for name, mode in cv.items():
        for h, w in sizes:
            out = cv2.resize(img, (w, h), interpolation=mode)
            add("opencv", name, False, out)

    golden = {
        "generator": "make_golden.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "pillow": PIL.__version__, "opencv": cv2.__version__},
        "source": {"width": W, "height": H, "rgb": b64(img)},
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resize.json")
    with open(path, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases -> {path}")


if __name__ == "__main__":
    main()
