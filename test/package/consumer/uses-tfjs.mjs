// A program for `hypertuner search` that needs hypertuner/tfjs (and so @tensorflow/tfjs).
import { tf } from 'hypertuner/tfjs';

export default () => tf.scalar(1).dataSync()[0];
