# bash completion for ticketed(1) — installed as
# $(PREFIX)/share/bash-completion/completions/ticketed by `make install`.
# The option lists follow src/app/options.c (tests/install/completion.t
# compares them with `ticketed --help`).

_ticketed_themes()
{
	local d dirs=() bin
	[ -n "${TICKETED_THEMES-}" ] && dirs+=("$TICKETED_THEMES")
	dirs+=("${XDG_CONFIG_HOME:-$HOME/.config}/ticketed/themes")
	bin=$(type -P ticketed 2>/dev/null) && dirs+=("${bin%/*}/../share/ticketed/themes")
	dirs+=(/usr/local/share/ticketed/themes /usr/share/ticketed/themes ./themes)
	for d in "${dirs[@]}"; do
		[ -d "$d" ] || continue
		for f in "$d"/*.theme; do
			[ -e "$f" ] || continue
			f=${f##*/}
			printf '%s\n' "${f%.theme}"
		done
	done | sort -u
}

_ticketed()
{
	local cur prev words cword
	COMPREPLY=()
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local edit_opts="--url --user --auth --app-token-env --lang --so-language --culture
		--timezone --conflict --theme --no-color --replay --record --headless --size
		--dry-run --draft --log --timeout --insecure --cacert --config --tenant-status --help --version"
	local sub="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		get|diff|apply|drafts|keys) sub=${words[i]}; break ;;
		-*) ;;
		*) break ;;
		esac
	done

	case $prev in
	--conflict) COMPREPLY=($(compgen -W "fields strict none" -- "$cur")); return ;;
	--draft) COMPREPLY=($(compgen -W "ask restore discard keep fail" -- "$cur")); return ;;
	--auth) COMPREPLY=($(compgen -W "basic bearer soticket" -- "$cur")); return ;;
	--theme) COMPREPLY=($(compgen -W "$(_ticketed_themes)" -- "$cur")); return ;;
	--mode) [ "$sub" = diff ] && COMPREPLY=($(compgen -W "fields none" -- "$cur")); return ;;
	--replay|--record|--config|--cacert|--log)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--app-token-env)
		COMPREPLY=($(compgen -v -- "$cur")); return ;;
	--url|--user|--lang|--so-language|--culture|--timezone|--size|--timeout|--discard|--tenant-status)
		return ;;
	esac

	case $sub in
	diff|apply)
		if [[ $cur == -* ]]; then
			if [ "$sub" = diff ]; then
				COMPREPLY=($(compgen -W "--mode --generic --pretty --help" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "--merge --pretty --help" -- "$cur"))
			fi
		else
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return ;;
	drafts)
		COMPREPLY=($(compgen -W "--discard --url --help" -- "$cur")); return ;;
	keys)
		return ;;
	get)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$edit_opts --pretty" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$edit_opts" -- "$cur"))
	elif [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "get diff apply drafts keys" -- "$cur"))
	fi
}
complete -F _ticketed ticketed
