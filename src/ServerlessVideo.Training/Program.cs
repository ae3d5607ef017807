using ServerlessVideo.Training;

return await TrainingCli.RunAsync(args);
