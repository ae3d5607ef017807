#!/usr/bin/env python3
"""Writes reduced-width torchvision video ResNets (r3d_18, mc3_18, r2plus1d_18) and a four-block MViT (mvit_v2_s's
switches) and S3D (channels ÷ 8) as ONNX, and golden.json.gz: one clip through torchvision's own R3D_18 preset and each ResNet's Kinetics-400
probabilities for it; the same video through MViT_V2_S's preset (short side 256, crop 224) and the MViT's, and through S3D's (256², crop 224, 128
frames) and the S3D's.

The models are torchvision's own VideoResNet, BasicBlock, Conv3DSimple, Conv3DNoTemporal and Conv2Plus1D with the
stage widths divided by 8 (8, 16, 32, 64 channels instead of 64 … 512) so each file is a few hundred KB; weights and
batch-norm statistics are random with a fixed seed. The clip is tests/ServerlessVideo.Media.Tests/Data/presets/clip.mp4
decoded by ffmpeg (rgb24), its 10 frames padded to 16 by repeating the last (as the pipeline pads), through
R3D_18_Weights.KINETICS400_V1.transforms().

Run with Debian's python3-torch and python3-torchvision, and ffmpeg:
    /usr/bin/python3 tests/ServerlessVideo.Inference.Tests/Data/torchvision/make_models.py
"""
import base64
import gzip
import json
import os
import subprocess

import numpy as np
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms.functional as F
from functools import partial

from torchvision.models.video import MViT_V2_S_Weights, R3D_18_Weights, S3D_Weights
from torchvision.models.video.s3d import S3D, SepInceptionBlock3D, TemporalSeparableConv
from torchvision.ops.misc import Conv3dNormActivation
from torchvision.models.video.mvit import MSBlockConfig, MViT
from torchvision.models.video.resnet import BasicBlock, Conv2Plus1D, Conv3DNoTemporal, Conv3DSimple, VideoResNet

HERE = os.path.dirname(os.path.abspath(__file__))
VIDEO = os.path.join(HERE, "..", "..", "..", "ServerlessVideo.Media.Tests", "Data", "presets", "clip.mp4")
WIDTH = 8  # torchvision's 64


def stem(kind):
    if kind == "r2plus1d":  # R2Plus1dStem: (1,7,7) to 45 channels, then (3,1,1) to 64; here scaled down
        mid = max(1, 45 * WIDTH // 64)
        return nn.Sequential(
            nn.Conv3d(3, mid, kernel_size=(1, 7, 7), stride=(1, 2, 2), padding=(0, 3, 3), bias=False), nn.BatchNorm3d(mid), nn.ReLU(inplace=True),
            nn.Conv3d(mid, WIDTH, kernel_size=(3, 1, 1), stride=(1, 1, 1), padding=(1, 0, 0), bias=False), nn.BatchNorm3d(WIDTH), nn.ReLU(inplace=True))
    # BasicStem: (3,7,7) stride (1,2,2) to 64 channels
    return nn.Sequential(nn.Conv3d(3, WIDTH, kernel_size=(3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False), nn.BatchNorm3d(WIDTH), nn.ReLU(inplace=True))


def reduced(name, conv_makers, stem_kind):
    torch.manual_seed(20261130)
    model = VideoResNet(BasicBlock, conv_makers, [2, 2, 2, 2], lambda: stem(stem_kind), num_classes=400)
    model.inplanes = WIDTH
    model.stem = stem(stem_kind)
    model.layer1 = model._make_layer(BasicBlock, conv_makers[0], WIDTH, 2, stride=1)
    model.layer2 = model._make_layer(BasicBlock, conv_makers[1], WIDTH * 2, 2, stride=2)
    model.layer3 = model._make_layer(BasicBlock, conv_makers[2], WIDTH * 4, 2, stride=2)
    model.layer4 = model._make_layer(BasicBlock, conv_makers[3], WIDTH * 8, 2, stride=2)
    model.fc = nn.Linear(WIDTH * 8, 400)
    model.fc.weight.data *= 40  # peaked probabilities, so that a tolerance on them means something
    for m in model.modules():
        if isinstance(m, nn.BatchNorm3d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    return model.eval()


def tiny_mvit():
    """torchvision's own MViT with mvit_v2_s's switches (residual pooling, relative positions, projection after
    attention) and four small blocks instead of sixteen: 16 frames of 224² in, 400 classes out."""
    torch.manual_seed(20261130)
    blocks = [
        MSBlockConfig(1, 16, 16, [3, 3, 3], [3, 3, 3], [1, 1, 1], [1, 8, 8]),
        MSBlockConfig(2, 16, 32, [3, 3, 3], [3, 3, 3], [1, 2, 2], [1, 4, 4]),
        MSBlockConfig(2, 32, 32, [3, 3, 3], [3, 3, 3], [1, 1, 1], [1, 4, 4]),
        MSBlockConfig(4, 32, 64, [3, 3, 3], [3, 3, 3], [1, 2, 2], [1, 2, 2]),
    ]
    model = MViT(spatial_size=(224, 224), temporal_size=16, block_setting=blocks, residual_pool=True,
                 residual_with_cls_embed=False, rel_pos_embed=True, proj_after_attn=True, num_classes=400)
    for p in model.parameters():
        if p.dim() > 1:
            p.data.normal_(0, 0.05)
    model.head[-1].weight.data *= 40
    return model.eval()


def tiny_s3d():
    """torchvision's own S3D with its layer sequence and every channel count divided by 8 (64 → 8 … 1024 → 128)."""
    torch.manual_seed(20261130)
    model = S3D(num_classes=400)
    n = partial(nn.BatchNorm3d, eps=0.001, momentum=0.001)
    pool = lambda k, st, p: nn.MaxPool3d(kernel_size=k, stride=st, padding=p)
    model.features = nn.Sequential(
        TemporalSeparableConv(3, 8, 7, 2, 3, n), pool((1, 3, 3), (1, 2, 2), (0, 1, 1)),
        Conv3dNormActivation(8, 8, kernel_size=1, stride=1, norm_layer=n),
        TemporalSeparableConv(8, 24, 3, 1, 1, n), pool((1, 3, 3), (1, 2, 2), (0, 1, 1)),
        SepInceptionBlock3D(24, 8, 12, 16, 2, 4, 4, n), SepInceptionBlock3D(32, 16, 16, 24, 4, 12, 8, n),
        pool((3, 3, 3), (2, 2, 2), (1, 1, 1)),
        SepInceptionBlock3D(60, 24, 12, 26, 2, 6, 8, n), SepInceptionBlock3D(64, 20, 14, 28, 3, 8, 8, n),
        SepInceptionBlock3D(64, 16, 16, 32, 3, 8, 8, n), SepInceptionBlock3D(64, 14, 18, 36, 4, 8, 8, n),
        SepInceptionBlock3D(66, 32, 20, 40, 4, 16, 16, n), pool((2, 2, 2), (2, 2, 2), (0, 0, 0)),
        SepInceptionBlock3D(104, 32, 20, 40, 4, 16, 16, n), SepInceptionBlock3D(104, 48, 24, 48, 6, 16, 16, n),
    )
    model.classifier = nn.Sequential(nn.Dropout(p=0.2), nn.Conv3d(128, 400, kernel_size=1, stride=1, bias=True))
    for m in model.modules():
        if isinstance(m, nn.BatchNorm3d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    model.classifier[1].weight.data *= 40
    return model.eval()


def preset_input(weights, frames_per_clip):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", VIDEO, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                         check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, 240, 320, 3).copy()
    frames = np.concatenate([frames, np.repeat(frames[-1:], frames_per_clip - len(frames), axis=0)])
    return weights.transforms()(torch.from_numpy(frames).permute(0, 3, 1, 2).contiguous()).unsqueeze(0)


def mvit_input():
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", VIDEO, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                         check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, 240, 320, 3).copy()
    frames = np.concatenate([frames, np.repeat(frames[-1:], 16 - len(frames), axis=0)])
    return MViT_V2_S_Weights.KINETICS400_V1.transforms()(torch.from_numpy(frames).permute(0, 3, 1, 2).contiguous()).unsqueeze(0)


def clip():
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", VIDEO, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                         check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, 240, 320, 3).copy()
    frames = np.concatenate([frames, np.repeat(frames[-1:], 16 - len(frames), axis=0)])
    vid = torch.from_numpy(frames).permute(0, 3, 1, 2).contiguous()
    preset = R3D_18_Weights.KINETICS400_V1.transforms()
    normalised = preset(vid)  # C, T, H, W
    cropped = F.center_crop(F.resize(vid, list(preset.resize_size), interpolation=preset.interpolation), list(preset.crop_size))
    return cropped.permute(0, 2, 3, 1).numpy(), normalised.unsqueeze(0)


def main():
    frames, x = clip()
    models = {
        "r3d_18": reduced("r3d_18", [Conv3DSimple] * 4, "basic"),
        "mc3_18": reduced("mc3_18", [Conv3DSimple] + [Conv3DNoTemporal] * 3, "basic"),
        "r2plus1d_18": reduced("r2plus1d_18", [Conv2Plus1D] * 4, "r2plus1d"),
    }
    probabilities = {}
    for name, model in models.items():
        with torch.no_grad():
            probabilities[name] = torch.softmax(model(x), dim=1)[0].tolist()
        torch.onnx.export(model, torch.randn(1, 3, 16, 112, 112), os.path.join(HERE, f"{name}-w{WIDTH}.onnx"),
                          input_names=["video"], output_names=["logits"],
                          dynamic_axes={"video": {0: "n"}, "logits": {0: "n"}}, opset_version=13)
    mvit = tiny_mvit()
    with torch.no_grad():
        probabilities["mvit_v2_s"] = torch.softmax(mvit(mvit_input()), dim=1)[0].tolist()
    torch.onnx.export(mvit, torch.randn(1, 3, 16, 224, 224), os.path.join(HERE, "mvit_v2_s-tiny.onnx"),
                      input_names=["video"], output_names=["logits"],
                      dynamic_axes={"video": {0: "n"}, "logits": {0: "n"}}, opset_version=17)
    s3d = tiny_s3d()
    with torch.no_grad():
        probabilities["s3d"] = torch.softmax(s3d(preset_input(S3D_Weights.KINETICS400_V1, 128)), dim=1)[0].tolist()
    torch.onnx.export(s3d, torch.randn(1, 3, 128, 224, 224), os.path.join(HERE, "s3d-w8.onnx"),
                      input_names=["video"], output_names=["logits"],
                      dynamic_axes={"video": {0: "n"}, "logits": {0: "n"}}, opset_version=17)
    golden = {
        "generator": "make_models.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__},
        "frames": 16, "size": 112,
        "clip": base64.b64encode(np.ascontiguousarray(frames).tobytes()).decode("ascii"),
        "probabilities": probabilities,
    }
    with gzip.open(os.path.join(HERE, "golden.json.gz"), "wt", compresslevel=9) as f:
        json.dump(golden, f)
    print({k: max(v) for k, v in probabilities.items()})


if __name__ == "__main__":
    main()
