package dev.sasrec.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A layer's forward result: its output and what its backward pass needs. */
record Forward<C>(INDArray output, C cache) {}
