#!/usr/bin/env python3
"""Writes clip.mp4 and presets.json.gz: a short video's decoded frames through each reference preprocessing.

The frames are decoded by ffmpeg to rgb24 (as the pipeline and torchvision's/PyAV's readers decode them), then:
  torchvision-r3d_18    torchvision's own R3D_18 KINETICS400_V1 transforms: resize (128, 171), centre crop 112
  torchvision-mvit_v1_b torchvision's own MViT_V1_B KINETICS400_V1 transforms: resize short side 256, crop 224
  torchvision-s3d       torchvision's own S3D KINETICS400_V1 transforms: resize (256, 256), crop 224 (if present)
  hf-videomae           Hugging Face VideoMAEImageProcessor's steps: PIL bilinear, shortest edge 224, crop 224 (floor)
  mmaction2-opencv      mmaction2's Resize(scale=(-1, 128)) + CenterCrop(112): cv2 bilinear, mmcv rounding, floor crop
Each case stores the uint8 frames after resize and crop (what the pipeline's clip tensor holds); for torchvision the
preset's own float output is checked here to be exactly those frames normalised.

Test-time crops (crops.json.gz): torchvision's F.ten_crop after the R3D_18 resize, and mmaction2's own ThreeCrop and
TenCrop classes (executed from mmaction2's mmaction/datasets/transforms/processing.py, whose path is the argument) after
its Resize(scale=(-1, 128)); the first frame's crops, in each library's order.

Run with Debian's packages (python3-torch, python3-torchvision, python3-pil, python3-opencv) and ffmpeg:
    /usr/bin/python3 tests/ServerlessVideo.Media.Tests/Data/presets/make_golden.py PATH/TO/mmaction2/mmaction/datasets/transforms/processing.py
"""
import ast
import sys
import base64
import gzip
import json
import os
import subprocess

import cv2
import numpy as np
import torch
import torchvision
import torchvision.transforms.functional as F
from PIL import Image
from torchvision.transforms import InterpolationMode

HERE = os.path.dirname(os.path.abspath(__file__))
VIDEO = os.path.join(HERE, "clip.mp4")
W, H, FRAMES = 320, 240, 3


def encode():
    if os.path.exists(VIDEO):
        return
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={W}x{H}:rate=10:duration=1",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "5", "-bf", "0", VIDEO], check=True)


def decode():
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", VIDEO, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                         check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3)
    return frames[:FRAMES]


def b64(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.uint8).tobytes()).decode("ascii")


def torchvision_case(frames, weights, resize_size, crop):
    vid = torch.from_numpy(frames).permute(0, 3, 1, 2).contiguous()  # T, C, H, W uint8
    preset = weights.transforms()
    assert tuple(preset.resize_size) == tuple(resize_size) and tuple(preset.crop_size) == (crop, crop), preset
    expected = preset(vid)  # C, T, H, W float, normalised
    resized = F.resize(vid, list(resize_size), interpolation=preset.interpolation)
    cropped = F.center_crop(resized, [crop, crop])
    mean = torch.tensor(preset.mean).view(1, 3, 1, 1)
    std = torch.tensor(preset.std).view(1, 3, 1, 1)
    normalised = ((cropped.float() / 255) - mean) / std
    assert torch.allclose(normalised.permute(1, 0, 2, 3), expected, atol=1e-6), "preset differs from its own steps"
    return cropped.permute(0, 2, 3, 1).numpy(), {"mean": list(preset.mean), "std": list(preset.std)}


def pil_case(frames, shortest, crop):
    out = []
    for f in frames:
        h, w = f.shape[:2]
        short, long = (w, h) if w <= h else (h, w)
        new_short, new_long = shortest, int(shortest * long / short)
        size = (new_short, new_long) if w <= h else (new_long, new_short)  # (width, height)
        img = np.asarray(Image.fromarray(f).resize(size, resample=Image.BILINEAR))
        top, left = (img.shape[0] - crop) // 2, (img.shape[1] - crop) // 2
        out.append(img[top:top + crop, left:left + crop])
    return np.stack(out)


def mmaction2_case(frames, short, crop):
    out = []
    for f in frames:
        h, w = f.shape[:2]
        scale = min(np.inf / max(h, w), short / min(h, w))
        size = (int(w * float(scale) + 0.5), int(h * float(scale) + 0.5))
        img = cv2.resize(f, size, interpolation=cv2.INTER_LINEAR)
        top, left = (img.shape[0] - crop) // 2, (img.shape[1] - crop) // 2
        out.append(img[top:top + crop, left:left + crop])
    return np.stack(out)


def mmaction2_crops(processing_py):
    source = open(processing_py).read()
    tree = ast.parse(source)
    nodes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name in ("ThreeCrop", "TenCrop")]
    for n in nodes:
        n.decorator_list = []
    pair = lambda x: x if isinstance(x, tuple) else (x, x)
    namespace = {"np": np, "BaseTransform": object, "_pair": pair, "warnings": __import__("warnings"),
                 "mmengine": type("mmengine", (), {"is_tuple_of": staticmethod(lambda t, k: all(isinstance(v, k) for v in t))}),
                 "_init_lazy_if_proper": lambda results, lazy: None}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), processing_py, "exec"), namespace)
    return namespace["ThreeCrop"], namespace["TenCrop"]


def crops(frames, processing_py):
    three_crop, ten_crop = mmaction2_crops(processing_py)
    first = frames[:1]
    cases = []
    # torchvision: the R3D_18 preset's resize, then F.ten_crop (five crops, then five of the flipped image)
    vid = torch.from_numpy(first.copy()).permute(0, 3, 1, 2).contiguous()
    resized = F.resize(vid, [128, 171], interpolation=InterpolationMode.BILINEAR)
    tv = [c.permute(0, 2, 3, 1).numpy()[0] for c in F.ten_crop(resized, [112, 112])]
    cases.append({"name": "torchvision-ten", "resize": {"library": "torchvision", "height": 128, "width": 171}, "cropSize": 112, "crops": "ten", "rgb": b64(np.stack(tv))})
    # mmaction2: Resize(scale=(-1, 128)) with cv2, then its ThreeCrop(128) / TenCrop(112)
    h, w = first[0].shape[:2]
    scale = min(np.inf / max(h, w), 128 / min(h, w))
    resized = cv2.resize(first[0], (int(w * float(scale) + 0.5), int(h * float(scale) + 0.5)), interpolation=cv2.INTER_LINEAR)
    for name, transform, crop in [("mmaction2-three", three_crop(128), 128), ("mmaction2-ten", ten_crop(112), 112)]:
        out = transform.transform({"imgs": [resized]})["imgs"]
        cases.append({"name": name, "resize": {"library": "opencv", "shortSide": 128}, "cropSize": crop, "crops": name.split("-")[1], "rgb": b64(np.stack(out))})
    return cases


def main():
    encode()
    frames = decode()
    models = torchvision.models.video
    cases = []

    def add(name, resize, crop, data, extra=None):
        case = {"name": name, "resize": resize, "cropSize": crop, "frames": int(data.shape[0]), "rgb": b64(data)}
        case.update(extra or {})
        cases.append(case)

    data, norm = torchvision_case(frames, models.R3D_18_Weights.KINETICS400_V1, (128, 171), 112)
    add("torchvision-r3d_18", {"library": "torchvision", "height": 128, "width": 171}, 112, data, norm)
    data, norm = torchvision_case(frames, models.MViT_V1_B_Weights.KINETICS400_V1, (256,), 224)
    add("torchvision-mvit_v1_b", {"library": "torchvision", "shortSide": 256}, 224, data, norm)
    if hasattr(models, "S3D_Weights"):
        data, norm = torchvision_case(frames, models.S3D_Weights.KINETICS400_V1, (256, 256), 224)
        add("torchvision-s3d", {"library": "torchvision", "height": 256, "width": 256}, 224, data, norm)
    add("hf-videomae", {"library": "pil", "shortSide": 224}, 224, pil_case(frames, 224, 224))
    add("mmaction2-opencv", {"library": "opencv", "shortSide": 128}, 112, mmaction2_case(frames, 128, 112))

    golden = {
        "generator": "make_golden.py",
        "video": "clip.mp4",
        "fps": 10,
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "opencv": cv2.__version__},
        "cases": cases,
    }
    with gzip.open(os.path.join(HERE, "presets.json.gz"), "wt", compresslevel=9) as f:
        json.dump(golden, f)
    with gzip.open(os.path.join(HERE, "crops.json.gz"), "wt", compresslevel=9) as f:
        json.dump({"generator": "make_golden.py", "video": "clip.mp4", "cases": crops(frames, sys.argv[1])}, f)
    print(f"{len(cases)} cases: {', '.join(c['name'] for c in cases)}")


if __name__ == "__main__":
    main()
