/** Lightroom's colour labels, as xmp:Label carries them. */
export const LABELS = ['Red', 'Yellow', 'Green', 'Blue', 'Purple'] as const;

/** What the box writes into a capture's sidecar. */
export interface SidecarFields {
  /** -1 (rejected) to 5. */
  readonly rating?: number;
  readonly label?: string;
  readonly pick: boolean;
  /** ISO 8601 time of the edit (xmp:MetadataDate: tools take the newer sidecar). */
  readonly modified: string;
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An XMP sidecar packet as Lightroom, Bridge, Capture One and Photo Mechanic read it:
 * xmp:Rating (-1 is Bridge's reject), xmp:Label, and the pick as xmpDM:good (Bridge's and
 * Premiere's "good" flag; Lightroom keeps its own flag in its catalog, not in XMP).
 */
export function sidecarXml(fields: SidecarFields): string {
  const attrs = [
    `xmp:MetadataDate="${escapeAttr(fields.modified)}"`,
    ...(fields.rating === undefined ? [] : [`xmp:Rating="${fields.rating}"`]),
    ...(fields.label === undefined || fields.label === ''
      ? []
      : [`xmp:Label="${escapeAttr(fields.label)}"`]),
    ...(fields.pick ? ['xmpDM:good="True"'] : []),
  ];
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="FieldBackup">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/"',
    ...attrs.map((a) => `    ${a}`),
    '  />',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
    '',
  ].join('\n');
}

/**
 * Where a capture's sidecar goes beside its main file (`DCIM/IMG_0001.CR3` →
 * `DCIM/IMG_0001.xmp`, the name Lightroom looks for), and the fallback name used when the card
 * brought its own sidecar there: that file is an original and is never written.
 */
export function sidecarNames(mainPath: string): readonly [string, string] {
  const slash = mainPath.lastIndexOf('/');
  const dot = mainPath.lastIndexOf('.');
  const stem = dot > slash ? mainPath.slice(0, dot) : mainPath;
  return [`${stem}.xmp`, `${stem}.fieldbackup.xmp`];
}
