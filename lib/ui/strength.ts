// The strength meter lives with the master-password rule in lib/model (the background uses it too).
export { loadStrengthMeter, type Score, type Strength, type StrengthMeter } from '../model/strength';
