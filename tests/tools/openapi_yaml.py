"""A YAML subset reader (standard library only) for Mattermost's OpenAPI source fragments.

Block maps and sequences, plain / quoted / block scalars, simple flow collections: enough for the
mattermost-api-reference v4/source/*.yaml files. Used by refresh_fixtures.py only; the checker reads JSON.
"""
import json
import re


# --- a YAML subset reader: block maps and sequences, plain / quoted / block scalars, simple flow collections ---------

class _Yaml:
    def __init__(self, text):
        self.lines = text.replace('\t', '    ').splitlines()
        self.i = 0

    def _next(self):
        """Moves to the next line that holds content; False at the end."""
        while self.i < len(self.lines):
            s = self.lines[self.i].strip()
            if s and not s.startswith('#') and s != '---':
                return True
            self.i += 1
        return False

    def _indent(self, i=None):
        line = self.lines[self.i if i is None else i]
        return len(line) - len(line.lstrip(' '))

    @staticmethod
    def _is_item(s):
        return s == '-' or s.startswith('- ')

    def node(self, min_indent):
        if not self._next() or self._indent() < min_indent:
            return None
        ind = self._indent()
        return self.seq(ind) if self._is_item(self.lines[self.i].strip()) else self.map(ind)

    def map(self, ind):
        out = {}
        while self._next() and self._indent() == ind and not self._is_item(self.lines[self.i].strip()):
            key, rest = _split_key(self.lines[self.i].strip())
            if key is None:
                raise ValueError(f'yaml line {self.i + 1}: expected "key:"')
            self.i += 1
            out[key] = self.value('' if rest.startswith('#') else rest, ind, in_map=True)
        return out

    def seq(self, ind):
        out = []
        while self._next() and self._indent() == ind and self._is_item(self.lines[self.i].strip()):
            line = self.lines[self.i]
            rest = line[ind + 1:].strip()
            if rest and _split_key(rest)[0] is not None and not rest[0] in '[{':
                # "- key: value" opens a mapping whose keys sit where "key" starts.
                self.lines[self.i] = line[:ind] + ' ' + line[ind + 1:]
                out.append(self.map(self._indent()))
                continue
            self.i += 1
            out.append(self.value(rest, ind))
        return out

    def value(self, rest, ind, in_map=False):
        if rest == '':
            if not self._next():
                return None
            s = self.lines[self.i].strip()
            if self._indent() > ind and not self._is_item(s) and _split_key(s)[0] is None:
                self.i += 1  # a plain scalar that starts on the next line
                return self.value(s, ind)
            if self._indent() > ind or (in_map and self._indent() == ind and self._is_item(s)):
                return self.node(ind if self._indent() == ind else ind + 1)
            return None
        if re.fullmatch(r'[|>][+-]?\d*', rest):
            return self.block_scalar(rest, ind)
        if rest[0] in '"\'':
            return self.quoted(rest, ind)
        if rest[0] in '[{':
            text = rest
            while _unbalanced(text) and self.i < len(self.lines):
                text += ' ' + self.lines[self.i].strip()
                self.i += 1
            return _Flow(text).parse()
        text = re.sub(r'\s+#.*$', '', rest)
        while self.i < len(self.lines):  # a plain scalar goes on over more-indented lines, folded
            s = self.lines[self.i].strip()
            if not s:
                j = self.i
                while j < len(self.lines) and not self.lines[j].strip():
                    j += 1
                if j == len(self.lines) or self._indent(j) <= ind:
                    break
                text, self.i = text + '\n', j
                continue
            if self._indent() <= ind or s.startswith('#'):
                break
            text += s if text.endswith('\n') else ' ' + s
            self.i += 1
        return _scalar(text.strip())

    def block_scalar(self, head, ind):
        body = []
        while self.i < len(self.lines) and (not self.lines[self.i].strip() or self._indent() > ind):
            body.append(self.lines[self.i])
            self.i += 1
        while body and not body[-1].strip():
            body.pop()
        content = [l for l in body if l.strip()]
        cut = min((len(l) - len(l.lstrip(' ')) for l in content), default=0)
        lines = [l[cut:] for l in body]
        if head[0] == '|':
            text = '\n'.join(lines)
        else:
            text, prev = '', 'blank'
            for l in lines:
                if not l.strip():
                    text, prev = text + ('\n\n' if prev == 'more' else '\n'), 'blank'
                elif l.startswith(' '):  # more-indented lines keep their line breaks
                    text, prev = text + ('' if prev == 'blank' else '\n') + l, 'more'
                else:
                    text, prev = text + {'blank': '', 'more': '\n', 'text': ' '}[prev] + l, 'text'
        return text if '-' in head else text + '\n'

    def quoted(self, rest, ind):
        q, text = rest[0], rest
        while not _closed(text, q) and self.i < len(self.lines):
            nxt = self.lines[self.i].strip()
            text += ' ' + nxt if nxt else '\n'
            self.i += 1
        end = _closing(text, q)
        inner = text[1:end]
        if q == "'":
            return inner.replace("''", "'")
        try:
            return json.loads('"' + inner.replace('\n', '\\n').replace('\\ ', ' ') + '"')
        except ValueError:
            return inner


def _closing(text, q):
    i = 1
    while i < len(text):
        c = text[i]
        if q == '"' and c == '\\':
            i += 2
            continue
        if c == q:
            if q == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _closed(text, q):
    return _closing(text, q) > 0


def _unbalanced(text):
    depth, quote = 0, None
    for c in text:
        if quote:
            quote = None if c == quote else quote
        elif c in '"\'':
            quote = c
        elif c in '[{':
            depth += 1
        elif c in ']}':
            depth -= 1
    return depth > 0


def _split_key(line):
    """'key: rest' -> (key, rest); (None, None) when the line is no mapping entry."""
    if line[0] in '"\'':
        end = _closing(line, line[0])
        if end > 0 and line[end + 1:end + 2] == ':' and line[end + 2:end + 3] in ('', ' '):
            return _Yaml('').quoted(line[:end + 1], 0), line[end + 2:].strip()
        return None, None
    m = re.match(r'([^#\[\]{},][^:]*?|[^:#\s][^:]*?):(?:\s+|$)(.*)$', line)
    if not m or m.group(1).startswith('- '):
        return None, None
    return m.group(1).strip(), m.group(2).strip()


def _scalar(text):
    if text in ('null', 'Null', 'NULL', '~', ''):
        return None
    if text in ('true', 'True', 'TRUE'):
        return True
    if text in ('false', 'False', 'FALSE'):
        return False
    if re.fullmatch(r'[-+]?\d+', text):
        return int(text)
    if re.fullmatch(r'[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?', text):
        return float(text)
    return text


class _Flow:
    """[a, "b", {c: d}] on one logical line."""
    def __init__(self, text):
        self.s, self.i = text.strip(), 0

    def parse(self):
        self._ws()
        c = self.s[self.i]
        if c == '[':
            return self._items(']', list)
        if c == '{':
            return self._items('}', dict)
        if c in '"\'':
            end = self.i + _closing(self.s[self.i:], c)
            v = _Yaml('').quoted(self.s[self.i:end + 1], 0)
            self.i = end + 1
            return v
        m = re.compile(r'[^,\]}:]*(?::(?!\s)[^,\]}:]*)*').match(self.s, self.i)
        self.i = m.end()
        return _scalar(m.group(0).strip())

    def _items(self, close, kind):
        self.i += 1
        out = kind()
        while True:
            self._ws()
            if self.s[self.i] == close:
                self.i += 1
                return out
            v = self.parse()
            self._ws()
            if kind is dict:
                self.i += 1  # ':'
                out[v] = self.parse()
            else:
                out.append(v)
            self._ws()
            if self.s[self.i] == ',':
                self.i += 1

    def _ws(self):
        while self.i < len(self.s) and self.s[self.i] == ' ':
            self.i += 1


def load_yaml(text):
    return _Yaml(text).node(0)
