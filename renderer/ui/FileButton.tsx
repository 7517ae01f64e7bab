/**
 * A button that opens the file picker, with its hidden `<input type="file">`: the button
 * clicks the input, the files chosen go to `onFiles`, and the input is emptied at once so
 * that choosing the same file again fires again. Tests wait for the file chooser the
 * button (`testId`) opens, or set files on the input (`inputTestId`).
 */
import { useRef } from 'react';
import type { ReactNode } from 'react';

export function FileButton(props: {
  readonly children: ReactNode;
  /** The files chosen (at least one). */
  readonly onFiles: (files: File[]) => void;
  /** The input's `accept` (endings or MIME types). */
  readonly accept?: string;
  readonly multiple?: boolean;
  /** The button's classes; a small outlined button by default. */
  readonly className?: string;
  readonly title?: string;
  readonly disabled?: boolean;
  readonly testId: string;
  readonly inputTestId: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={props.className ?? 'sf-btn sf-btn-small sf-btn-outline'}
        data-testid={props.testId}
        title={props.title}
        disabled={props.disabled}
        onClick={() => input.current?.click()}
      >
        {props.children}
      </button>
      <input
        ref={input}
        type="file"
        accept={props.accept}
        multiple={props.multiple}
        className="sf-visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={props.inputTestId}
        onChange={(e) => {
          const el = e.currentTarget;
          const files = [...(el.files ?? [])];
          el.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
    </>
  );
}
