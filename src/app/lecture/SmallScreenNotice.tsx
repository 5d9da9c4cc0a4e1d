/** On narrow screens: a dismissible note that the labs are laid out for a desktop screen. */
import { useState } from 'react';
import { SMALL_SCREEN_QUERY, useMediaQuery } from './media';

export function SmallScreenNotice() {
  const small = useMediaQuery(SMALL_SCREEN_QUERY);
  const [dismissed, setDismissed] = useState(false);
  if (!small || dismissed) return null;
  return (
    <div className="notice notice--info" role="status" data-testid="small-screen-notice">
      <strong>Desktop recommended.</strong> The labs are laid out for a wide screen; here the panels
      stack. Everything works with touch: tap the buttons, drag the points and handles.{' '}
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setDismissed(true);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
