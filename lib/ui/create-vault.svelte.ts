// The "choose a master password" form: the strength meter loads lazily the first time it is shown.
import { MASTER_PASSWORD_USER_INPUTS, newMasterPasswordProblem } from './master-password';
import { loadStrengthMeter, type Strength, type StrengthMeter } from './strength';

export class NewMasterPassword {
  password = $state('');
  confirmation = $state('');
  /** undefined while the meter loads, null when it could not load. */
  meter = $state.raw<StrengthMeter | null | undefined>(undefined);
  /** Shown only after the first attempt to submit, so typing is not met with errors. */
  attempted = $state(false);

  strength: Strength | undefined = $derived(this.meter && this.password ? this.meter(this.password, MASTER_PASSWORD_USER_INPUTS) : undefined);
  problem: string | undefined = $derived(
    newMasterPasswordProblem(this.password, this.confirmation, this.meter === null ? null : this.strength),
  );

  async loadMeter(): Promise<void> {
    try {
      this.meter = await loadStrengthMeter();
    } catch {
      this.meter = null;
    }
  }
}
