import { useId, useState, type ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';

/**
 * A destructive action behind a question: the button opens an alert dialog that says what will be
 * lost, so one stray click (or Enter) loses nothing. Cancel has focus on arrival and Escape cancels;
 * only the dialog's own button acts. While the action runs the dialog stays, its buttons inert, so
 * a second press cannot send it twice; it closes when the action settles (focus back on the trigger
 * when it is still there).
 */
export function ConfirmButton({
  children,
  title,
  description,
  confirmLabel,
  onConfirm,
  isDisabled = false,
  className = 'button danger',
}: {
  /** The trigger's text. */
  children: ReactNode;
  /** The dialog's question, its accessible name: "Delete user alice?". */
  title: string;
  /** What confirming does, read with the question. */
  description: ReactNode;
  /** The dialog's button that acts: a verb and its object, not "OK". */
  confirmLabel: string;
  onConfirm(): Promise<void>;
  isDisabled?: boolean;
  className?: string;
}) {
  const [busy, setBusy] = useState(false);
  const descriptionId = useId();
  return (
    <DialogTrigger>
      <Button className={className} isDisabled={isDisabled}>
        {children}
      </Button>
      <ModalOverlay className="modal-overlay" isKeyboardDismissDisabled={busy}>
        <Modal className="modal">
          <Dialog role="alertdialog" className="dialog" aria-describedby={descriptionId}>
            {({ close }) => (
              <>
                <Heading slot="title" level={2}>
                  {title}
                </Heading>
                <div id={descriptionId}>{description}</div>
                <div className="actions">
                  <Button className="button secondary" autoFocus onPress={close} isDisabled={busy}>
                    Cancel
                  </Button>
                  <Button
                    className="button danger"
                    isPending={busy}
                    onPress={async () => {
                      setBusy(true);
                      try {
                        await onConfirm();
                      } finally {
                        setBusy(false);
                        close();
                      }
                    }}
                  >
                    {confirmLabel}
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
