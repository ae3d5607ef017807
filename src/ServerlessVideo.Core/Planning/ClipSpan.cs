namespace ServerlessVideo.Core.Planning;

/// <summary>One clip of a view: its index and where it starts, seconds.</summary>
public sealed record ClipSpan(int Index, double StartSeconds);
