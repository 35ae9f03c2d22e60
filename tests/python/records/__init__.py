"""Sources over data files: MindRecord, TFRecord, CSV and text, MNIST and CIFAR, image folders."""
