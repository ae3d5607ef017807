#!/usr/bin/env python3
"""Writes sampling.json: the frame indices each reference's test-time sampling picks, for ReferenceSamplingTests.

- mmaction2: SampleFrames(test_mode=True) (out_of_bound_opt 'loop'), run from mmaction2's own source file
  mmaction/datasets/transforms/loading.py (pass its path; the class is executed with a stand-in for mmcv's BaseTransform).
- torchvision: VideoClips.compute_clips_for_video (frame_rate resampling, clips of clip_len with step 1) followed by
  UniformClipSampler (clips_per_video), torchvision 0.14's own code, with frame i's pts = i.

    /usr/bin/python3 tests/ServerlessVideo.Core.Tests/Data/make_sampling.py PATH/TO/mmaction2/mmaction/datasets/transforms/loading.py
"""
import ast
import json
import os
import sys

import numpy as np
import torch
import torchvision
from torchvision.datasets.samplers import UniformClipSampler
from torchvision.datasets.video_utils import VideoClips


def mmaction2_sample_frames(loading_py):
    source = open(loading_py).read()
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SampleFrames")
    node.decorator_list = []
    namespace = {"np": np, "BaseTransform": object, "Optional": __import__("typing").Optional}
    exec(compile(ast.Module(body=[node], type_ignores=[]), loading_py, "exec"), namespace)
    return namespace["SampleFrames"]


def mmaction2_cases(sample_frames):
    cases = []
    for (clip_len, interval, num_clips) in [(1, 1, 25), (1, 1, 8), (8, 8, 10), (32, 2, 10), (16, 4, 5), (8, 1, 3), (16, 2, 1), (32, 2, 4)]:
        for total in [1, 5, 16, 37, 64, 100, 301, 1000, 1797]:
            t = sample_frames(clip_len=clip_len, frame_interval=interval, num_clips=num_clips, test_mode=True)
            out = t.transform({"total_frames": total, "start_index": 0})
            inds = out["frame_inds"].reshape(-1, clip_len).tolist()
            cases.append({"clipLength": clip_len, "frameInterval": interval, "numClips": num_clips, "totalFrames": total, "indices": inds})
    return cases


def torchvision_cases():
    cases = []
    for fps in [25.0, 29.97, 30.0, 15.0, 60.0, 24.0]:
        for (frame_rate, clip_len, num_clips) in [(15.0, 16, 5), (7.5, 16, 5), (15.0, 32, 12), (15.0, 128, 1), (30.0, 8, 3)]:
            for total in [10, 16, 40, 100, 301, 1000, 1797]:
                pts = torch.arange(total)
                clips, _ = VideoClips.compute_clips_for_video(pts, clip_len, 1, fps, frame_rate)
                video_clips = VideoClips.__new__(VideoClips)  # the sampler only reads .clips
                video_clips.clips = [clips]
                chosen = list(iter(UniformClipSampler(video_clips, num_clips))) if len(clips) else []
                inds = [clips[c].tolist() for c in chosen]
                cases.append({"fps": fps, "frameRate": frame_rate, "clipLength": clip_len, "numClips": num_clips, "totalFrames": total, "indices": inds})
    return cases


def main():
    sample_frames = mmaction2_sample_frames(sys.argv[1])
    golden = {
        "generator": "make_sampling.py",
        "versions": {"torchvision": torchvision.__version__, "mmaction2": "SampleFrames from " + os.path.basename(sys.argv[1])},
        "mmaction2": mmaction2_cases(sample_frames),
        "torchvision": torchvision_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sampling.json")
    with open(path, "w") as f:
        json.dump(golden, f)
        f.write("\n")
    print(len(golden["mmaction2"]), len(golden["torchvision"]), os.path.getsize(path))


if __name__ == "__main__":
    main()
