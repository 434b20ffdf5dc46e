import { useState } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<string | undefined>();
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setDone('Copied'),
      () => setDone('Copy failed: select the text and copy it by hand'),
    );
  };
  return (
    <>
      <button type="button" onClick={copy} aria-label={label}>
        Copy
      </button>
      <span role="status" className="muted">
        {done}
      </span>
    </>
  );
}

export function DownloadButton({ text, fileName }: { text: string; fileName: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <button type="button" onClick={download} aria-label={`Download ${fileName}`}>
      Download
    </button>
  );
}
